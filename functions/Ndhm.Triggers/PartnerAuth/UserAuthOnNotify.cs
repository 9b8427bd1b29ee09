using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>
/// ABDM <c>POST /v0.5/users/auth/on-notify</c>: the partner acknowledges a DIRECT-mode <c>users/auth/notify</c>
/// (<c>resp.requestId</c> = the notification's requestId; <c>acknowledgement</c> or <c>error</c>). An id naming no
/// notification sent to this partner is 404 AUTH_NOTIFICATION_NOT_FOUND (ABDM-1030); acknowledging again is accepted.
/// </summary>
public sealed class UserAuthOnNotify(AbdmRequestVerifier verifier, DirectAuthService direct)
{
    [Function(nameof(UserAuthOnNotify))]
    [RequireRoles(Roles.Hip, Roles.Hiu)]
    [OpenApiOperation("ABDM users/auth/on-notify: a HIP or HIU acknowledges a DIRECT authentication notification (resp.requestId names it).",
        Request = typeof(AuthOnNotifyRequest), SuccessStatus = 202, Tag = "ABDM user auth")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/users/auth/on-notify")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(UserAuthOnNotify),
            (AbdmInbound<AuthOnNotifyRequest> inbound) =>
            {
                var notification = PartnerAuthHttp.RequiredId(inbound.Body.Resp?.RequestId, "resp.requestId");
                if (inbound.Body.Acknowledgement is null && inbound.Body.Error is null)
                    PartnerAuthHttp.RequiredId(null, "acknowledgement or error");
                return notification;
            },
            (inbound, notification, token) => direct.AcknowledgeAsync(inbound.Caller.Subject, notification,
                inbound.Body.Acknowledgement?.Status is "OK" && inbound.Body.Error is null, inbound.RequestId, token),
            ct);
}
