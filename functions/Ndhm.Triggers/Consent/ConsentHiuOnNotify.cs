using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/consents/hiu/on-notify</c>: the HIU acknowledges a <c>/consents/hiu/notify</c> (<c>resp.requestId</c>
/// = the notification's requestId). Acknowledged notifications are not sent again; an id that names no notification
/// sent to this HIU is refused (404 CONSENT_NOTIFICATION_NOT_FOUND).
/// </summary>
public sealed class ConsentHiuOnNotify(AbdmRequestVerifier verifier, ConsentManager manager)
{
    [Function(nameof(ConsentHiuOnNotify))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM consents/hiu/on-notify: the HIU acknowledges a consent notification (resp.requestId names it).",
        Request = typeof(AbdmHiuConsentNotificationResponse), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consents/hiu/on-notify")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(ConsentHiuOnNotify),
            (AbdmInbound<AbdmHiuConsentNotificationResponse> inbound) => ConsentHttp.RequiredField(inbound.Body.Resp?.RequestId, "resp.requestId"),
            (inbound, notification, token) => ConsentHttp.AcknowledgeAsync(manager, inbound.Caller.Subject, notification, token),
            ct);
}
