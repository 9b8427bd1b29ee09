using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Phr;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Phr;

/// <summary>Which consents currently allow whom to see what: the patient's granted, unexpired consent artefacts.</summary>
public sealed class ListMyDataSharing(PhrRecordService records)
{
    [Function(nameof(ListMyDataSharing))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Who can currently see what of the caller's health data: each granted, unexpired consent artefact with its HIU, " +
        "requester, purpose, HIP, hiTypes, the care date range it covers, access mode and when it ends. Audited.",
        Response = typeof(DataSharingView), Tag = PhrHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/data-sharing")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(new DataSharingView(await records.ListSharingAsync(PhrHttp.Patient(req), ct)));
}
