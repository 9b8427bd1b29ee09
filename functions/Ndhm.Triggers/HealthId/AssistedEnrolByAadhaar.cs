using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class AssistedEnrolByAadhaar(AbhaEnrolmentService enrolment, PatientSessions sessions, SensitiveFields fields, TimeProvider time)
{
    [Function(nameof(AssistedEnrolByAadhaar))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Assisted enrolment by Aadhaar OTP, recorded with the health worker's id (and facility claim when present).",
        Request = typeof(EnrolByAadhaarRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/enrol/byAadhaar")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<EnrolByAadhaarRequest>(ct);
        return new OkObjectResult(await EnrolByAadhaar.Enrol(enrolment, sessions, fields, time, body, Assisted(caller), ct));
    }

    internal static AssistedEnrolment Assisted(CallerIdentity caller) =>
        new(caller.Subject, caller.Claims.GetValueOrDefault("facilityId"));
}
