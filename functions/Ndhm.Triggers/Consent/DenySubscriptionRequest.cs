using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>The patient denies a subscription request; the HIU is told (DENIED).</summary>
public sealed class DenySubscriptionRequest(ConsentManager consents, SubscriptionManager manager)
{
    [Function(nameof(DenySubscriptionRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Deny a subscription request awaiting a decision; the HIU is notified.",
        Request = typeof(DenyConsentInput), Response = typeof(SubscriptionRequestView), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/subscription-requests/{id}/deny")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, consents, ct);
        var input = req.HasBody() ? await req.ReadJsonAsync<DenyConsentInput>(ct) : null;
        var record = await manager.DenyAsync(patient, ConsentHttp.SubscriptionId(id), input?.Reason, ct);
        return new OkObjectResult(SubscriptionRequestView.From(record));
    }
}
