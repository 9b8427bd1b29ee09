using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/subscription-requests/cm/init</c> from a HIU: the request is checked on its own (400 in ABDM's
/// shape, nothing recorded), accepted (202), then checked against the registries, Health ID and the HIU's consents
/// and answered by <c>/v0.5/subscription-requests/cm/on-init</c> with <c>subscriptionRequest.id</c>, or with <c>error</c>.
/// </summary>
public sealed class SubscriptionRequestInit(AbdmRequestVerifier verifier, SubscriptionManager manager, AbdmCallbacks callbacks, TimeProvider time)
{
    public const string CallbackPath = "/v0.5/subscription-requests/cm/on-init";

    [Function(nameof(SubscriptionRequestInit))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM subscription-requests/cm/init from a HIU holding a STREAM or QUERY consent, answered by POST {bridge}/v0.5/subscription-requests/cm/on-init.",
        Request = typeof(AbdmSubscriptionRequest), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/subscription-requests/cm/init")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(SubscriptionRequestInit),
            (AbdmInbound<AbdmSubscriptionRequest> inbound) => SubscriptionValidation.Validate(inbound.Body.Subscription, time.GetUtcNow()),
            (inbound, _, token) => callbacks.AnswerAsync(inbound.Requester, CallbackPath, inbound.RequestId, async () =>
                new { subscriptionRequest = new { id = (await manager.CreateAsync(inbound.Caller.Subject, inbound.RequestId, inbound.Body.Subscription, token)).Id } },
                token),
            ct);
}
