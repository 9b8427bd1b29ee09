using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Login;
using Ndhm.HealthId.Otp;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class AssistedEnrolByMobile(AbhaEnrolmentService enrolment, OtpService otpService, PatientSessions sessions, SensitiveFields fields,
    TimeProvider time)
{
    [Function(nameof(AssistedEnrolByMobile))]
    [RequireRoles(Roles.HealthWorker)]
    [OpenApiOperation("Assisted mobile-OTP enrolment, recorded with the health worker's id.",
        Request = typeof(EnrolByMobileRequest), Response = typeof(EnrolmentResponse), Tag = "Health ID")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v3/assisted/enrollment/enrol/byMobile")] HttpRequest req,
        CancellationToken ct)
    {
        var caller = req.Caller();
        var body = await req.ReadJsonAsync<EnrolByMobileRequest>(ct);
        return new OkObjectResult(await EnrolByMobile.Enrol(enrolment, otpService, sessions, fields, time, body,
            AssistedEnrolByAadhaar.Assisted(caller), ct));
    }
}
