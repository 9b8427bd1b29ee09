using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>Unlinks one care context; the HIP is told by the webhook <c>/v1/links/unlinked</c> on its bridge (ABDM has no such message).</summary>
public sealed class UnlinkCareContext(PatientLinkingService linking)
{
    [Function(nameof(UnlinkCareContext))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Unlink one of the caller's care contexts at a HIP (PATIENT token): 204.", SuccessStatus = 204, Tag = LinkingHttp.PatientTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/patients/me/links/{hipId}/{careContextReference}")] HttpRequest req,
        string hipId,
        string careContextReference,
        CancellationToken ct)
    {
        await linking.UnlinkAsync(LinkingHttp.Patient(req.Caller()), hipId, careContextReference, ct);
        return new NoContentResult();
    }
}
