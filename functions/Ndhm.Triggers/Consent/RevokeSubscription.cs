using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Security;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>The patient ends a granted subscription (by its subscription id): the HIU hears of no new care context after this.</summary>
public sealed class RevokeSubscription(ConsentManager consents, SubscriptionManager manager)
{
    [Function(nameof(RevokeSubscription))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Revoke a granted subscription (by its subscriptionId); no further subscription events are sent.",
        Response = typeof(SubscriptionRequestView), Tag = ConsentHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/subscriptions/{subscriptionId}/revoke")] HttpRequest req,
        string subscriptionId,
        CancellationToken ct)
    {
        var patient = await ConsentHttp.PatientAsync(req, consents, ct);
        var record = await manager.RevokeAsync(patient, ConsentHttp.SubscriptionId(subscriptionId), ct);
        return new OkObjectResult(SubscriptionRequestView.From(record));
    }
}
