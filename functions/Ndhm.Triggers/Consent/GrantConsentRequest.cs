using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// The patient grants a request, as asked or narrower (HIPs and their care contexts, hiTypes, date range); one signed
/// artefact per HIP; the HIU and each HIP are notified. A wider grant is 400 GRANT_WIDENS naming the field.
/// </summary>
public sealed class GrantConsentRequest(ConsentManager manager)
{
    [Function(nameof(GrantConsentRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Grant a consent request, optionally narrowed (never widened); one signed artefact per HIP.",
        Request = typeof(GrantInput), Response = typeof(ConsentRequestView), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/consent-requests/{id}/grant")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, manager, ct);
        var input = req.HasBody() ? await req.ReadJsonAsync<GrantInput>(ct) : null;
        var record = await manager.GrantAsync(patient, ConsentHttp.Id(id), input, ct);
        return new OkObjectResult(ConsentRequestView.From(record));
    }
}
