using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/consents/hip/on-notify</c>: a HIP acknowledges a <c>/consents/hip/notify</c> (<c>resp.requestId</c>
/// = the notification's requestId). Acknowledged notifications are not sent again; an id that names no notification
/// sent to this HIP is refused (404 CONSENT_NOTIFICATION_NOT_FOUND).
/// </summary>
public sealed class ConsentHipOnNotify(AbdmRequestVerifier verifier, ConsentManager manager)
{
    [Function(nameof(ConsentHipOnNotify))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM consents/hip/on-notify: a HIP acknowledges a consent artefact notification (resp.requestId names it).",
        Request = typeof(AbdmHipConsentNotificationResponse), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consents/hip/on-notify")] HttpRequest req,
        CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(ConsentHipOnNotify),
            (AbdmInbound<AbdmHipConsentNotificationResponse> inbound) => ConsentHttp.RequiredField(inbound.Body.Resp?.RequestId, "resp.requestId"),
            (inbound, notification, token) => ConsentHttp.AcknowledgeAsync(manager, inbound.Caller.Subject, notification, token),
            ct);
}
