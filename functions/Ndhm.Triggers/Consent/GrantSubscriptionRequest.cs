using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// The patient approves a subscription request, as asked or narrower (the HIPs, LINK and/or DATA, a shorter period);
/// the HIU is told by <c>/v0.5/subscription-requests/hiu/notify</c> with the subscription. Wider is 400 GRANT_WIDENS.
/// </summary>
public sealed class GrantSubscriptionRequest(ConsentManager consents, SubscriptionManager manager)
{
    [Function(nameof(GrantSubscriptionRequest))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Approve a subscription request, optionally narrowed (sources: HIP, categories, period; never wider); the HIU is notified.",
        Request = typeof(SubscriptionGrantInput), Response = typeof(SubscriptionRequestView), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/subscription-requests/{id}/grant")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, consents, ct);
        var input = req.HasBody() ? await req.ReadJsonAsync<SubscriptionGrantInput>(ct) : null;
        var record = await manager.GrantAsync(patient, ConsentHttp.SubscriptionId(id), input, ct);
        return new OkObjectResult(SubscriptionRequestView.From(record));
    }
}
