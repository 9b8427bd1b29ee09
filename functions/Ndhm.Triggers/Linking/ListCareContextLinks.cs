using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>The care contexts linked to the caller's ABHA, per HIP.</summary>
public sealed class ListCareContextLinks(PatientLinkingService linking)
{
    [Function(nameof(ListCareContextLinks))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("The caller's linked care contexts, per HIP (PATIENT token).", Response = typeof(LinkedHipsResponse), Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/links")] HttpRequest req,
        CancellationToken ct)
    {
        var links = await linking.ListLinksAsync(LinkingHttp.Patient(req.Caller()), ct);
        return new OkObjectResult(new LinkedHipsResponse(links.Select(l => new LinkedHip(l.HipId, l.PatientReference, l.PatientDisplay, l.CareContexts)).ToList()));
    }
}
