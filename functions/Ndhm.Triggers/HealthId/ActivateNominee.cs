using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.Nominees;
using Ndhm.HealthId.Numbers;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.HealthId;

public sealed class ActivateNominee(NomineeService nominees)
{
    [Function(nameof(ActivateNominee))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Activate a patient's nomination on evidence of their death or incapacity (platform admins): from now on the " +
        "nominee may act for the patient. Recorded on the patient's audit trail.",
        Request = typeof(ActivateNomineeRequest), Response = typeof(NomineeView), Tag = "Patient data rights")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/admin/patients/{abhaNumber}/nominee/activate")] HttpRequest req,
        string abhaNumber,
        CancellationToken ct)
    {
        var patient = AbhaNumber.Parse(abhaNumber);
        var body = await req.ReadJsonAsync<ActivateNomineeRequest>(ct);
        var nomination = await nominees.ActivateAsync(patient, NomineeRules.ActivationReason(body.Reason), body.EvidenceReference ?? "",
            req.Caller().Subject, ct);
        return new OkObjectResult(NomineeView.From(nomination));
    }
}
