using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Nominees;
using Ndhm.HealthId.Numbers;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class DeactivateNominee(NomineeService nominees)
{
    [Function(nameof(DeactivateNominee))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("End the activation of a patient's nomination (the patient recovered, or it was entered in error; platform " +
        "admins): the nominee may no longer act. 409 NOMINEE_NOT_ACTIVE when it is not active. Recorded on the patient's audit trail.",
        Request = typeof(DeactivateNomineeRequest), Response = typeof(NomineeView), Tag = "Patient data rights")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/patients/{abhaNumber}/nominee/deactivate")] HttpRequest req,
        string abhaNumber,
        CancellationToken ct)
    {
        var patient = AbhaNumber.Parse(abhaNumber);
        var body = await req.ReadJsonAsync<DeactivateNomineeRequest>(ct);
        var nomination = await nominees.DeactivateAsync(patient, NomineeRules.DeactivationReason(body.Reason), body.EvidenceReference,
            req.Caller().Subject, ct);
        return new OkObjectResult(NomineeView.From(nomination));
    }
}
