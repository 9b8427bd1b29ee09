using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>The patient denies a request; the HIU is notified (DENIED).</summary>
public sealed class DenyConsentRequest(ConsentManager manager)
{
    [Function(nameof(DenyConsentRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Deny a consent request awaiting a decision; the HIU is notified.",
        Request = typeof(DenyConsentInput), Response = typeof(ConsentRequestView), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/consent-requests/{id}/deny")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, manager, ct);
        var input = req.HasBody() ? await req.ReadJsonAsync<DenyConsentInput>(ct) : null;
        var record = await manager.DenyAsync(patient, ConsentHttp.Id(id), input?.Reason, ct);
        return new OkObjectResult(ConsentRequestView.From(record));
    }
}
