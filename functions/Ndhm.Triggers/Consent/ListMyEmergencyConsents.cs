using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>Emergency (BTG) access to the patient's records, for their review: who, when, until when, and whether it was revoked.</summary>
public sealed class ListMyEmergencyConsents(ConsentManager manager)
{
    [Function(nameof(ListMyEmergencyConsents))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Emergency (break-the-glass) access to the patient's records, newest first, for review.",
        Response = typeof(ConsentRequestList), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/consents/emergency")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, manager, ct);
        var records = await manager.ListAsync(patient, null, emergencyOnly: true, ct);
        return new OkObjectResult(new ConsentRequestList(records.Select(ConsentRequestView.From).ToList()));
    }
}
