using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/consents/hiu/on-notify</c>: the HIU acknowledges a <c>/consents/hiu/notify</c> (<c>resp.requestId</c>
/// = the notification's requestId). Acknowledged notifications are not sent again; an id that names no notification
/// sent to this HIU is 404 CONSENT_NOTIFICATION_NOT_FOUND.
/// </summary>
public sealed class ConsentHiuOnNotify(GatewayRequestVerifier verifier, ConsentManager manager)
{
    [Function(nameof(ConsentHiuOnNotify))]
    [RequireRoles(Roles.Hiu)]
    [OpenApiOperation("ABDM acknowledgement of a consent notification by the HIU (resp.requestId names the notification).",
        Request = typeof(AbdmHiuConsentNotificationResponse), Response = typeof(AbdmAccepted), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consents/hiu/on-notify")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<AbdmHiuConsentNotificationResponse>(ct);
        await ConsentHttp.AcknowledgeAsync(manager, inbound, body.Resp?.RequestId, ct);
        return await verifier.AcceptOnceAsync(inbound, nameof(ConsentHiuOnNotify), body, new AbdmAccepted(inbound.RequestId, "ACCEPTED"),
            _ => Task.CompletedTask, ct);
    }
}
