using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// The patient revokes a granted consent, named by any of its artefacts: the whole grant (every artefact of it) is
/// revoked by a new signed event; the HIU and every HIP are notified.
/// </summary>
public sealed class RevokeConsent(ConsentManager manager)
{
    [Function(nameof(RevokeConsent))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Revoke a granted consent (by one of its artefact ids); the HIU and the HIPs are notified.",
        Response = typeof(ConsentRequestView), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/consents/{artefactId}/revoke")] HttpRequest req,
        string artefactId,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, manager, ct);
        var record = await manager.RevokeAsync(patient, ConsentHttp.ArtefactId(artefactId), ct);
        return new OkObjectResult(ConsentRequestView.From(record));
    }
}
