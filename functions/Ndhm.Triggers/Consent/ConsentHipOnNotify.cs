using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Consent;
using Ndhm.Core.Security;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Consent;

/// <summary>
/// ABDM <c>POST /v0.5/consents/hip/on-notify</c>: a HIP acknowledges a <c>/consents/hip/notify</c> (<c>resp.requestId</c>
/// = the notification's requestId). Acknowledged notifications are not sent again; an id that names no notification
/// sent to this HIP is 404 CONSENT_NOTIFICATION_NOT_FOUND.
/// </summary>
public sealed class ConsentHipOnNotify(GatewayRequestVerifier verifier, ConsentManager manager)
{
    [Function(nameof(ConsentHipOnNotify))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM acknowledgement of a consent artefact notification by a HIP (resp.requestId names the notification).",
        Request = typeof(AbdmHipConsentNotificationResponse), Response = typeof(AbdmAccepted), SuccessStatus = 202, Tag = ConsentHttp.AbdmTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/consents/hip/on-notify")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<AbdmHipConsentNotificationResponse>(ct);
        await ConsentHttp.AcknowledgeAsync(manager, inbound, body.Resp?.RequestId, ct);
        return await verifier.AcceptOnceAsync(inbound, nameof(ConsentHipOnNotify), body, new AbdmAccepted(inbound.RequestId, "ACCEPTED"),
            _ => Task.CompletedTask, ct);
    }
}
