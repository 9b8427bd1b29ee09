using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Consent;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/subscription-requests/hiu/on-notify</c>: the HIU acknowledges a
/// <c>/subscription-requests/hiu/notify</c> (<c>resp.requestId</c> = its requestId); one not sent to this HIU is 404
/// SUBSCRIPTION_NOTIFICATION_NOT_FOUND.
/// </summary>
public sealed class SubscriptionRequestHiuOnNotify(AbdmRequestVerifier verifier, SubscriptionManager manager)
{
    [Function(nameof(SubscriptionRequestHiuOnNotify))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM subscription-requests/hiu/on-notify: the HIU acknowledges a subscription grant or denial (resp.requestId names it).",
        Request = typeof(AbdmHiuSubscriptionRequestNotificationAcknowledgement), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/subscription-requests/hiu/on-notify")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(SubscriptionRequestHiuOnNotify),
            (AbdmInbound<AbdmHiuSubscriptionRequestNotificationAcknowledgement> inbound) => ConsentHttp.RequiredField(inbound.Body.Resp?.RequestId, "resp.requestId"),
            (inbound, notification, token) => manager.AcknowledgeAsync(inbound.Caller.Subject, GatewaySubscriptionNotifier.RequestKind, notification,
                "resp.requestId", token),
            ct);
}
