using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>The patient's consent artefacts (one per HIP of each grant), with their current status; GRANTED by default.</summary>
public sealed class ListMyConsents(ConsentManager manager)
{
    [Function(nameof(ListMyConsents))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The patient's consent artefacts with their signatures (status=GRANTED by default; REVOKED or EXPIRED for past ones).",
        Response = typeof(ConsentArtefactList), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/consents")] HttpRequest req,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, manager, ct);
        var records = await manager.ListAsync(patient, ConsentHttp.Status(req) ?? ConsentStatus.Granted, emergencyOnly: false, ct);
        return new OkObjectResult(new ConsentArtefactList(records.SelectMany(r => r.Artefacts.Select(a => ConsentRequestView.Artefact(r, a))).ToList()));
    }
}
