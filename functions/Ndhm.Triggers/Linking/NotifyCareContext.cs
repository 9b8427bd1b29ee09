using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP tells the patient that a linked care context has new data: SMS to the patient, then on-notify to the HIP.</summary>
public sealed class NotifyCareContext(GatewayRequestVerifier verifier, HipInitiatedLinkingService linking, IHipDirectory hips)
{
    [Function(nameof(NotifyCareContext))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM v0.5 links/context/notify: 202, callback /v0.5/links/context/on-notify.", Request = typeof(ContextNotifyRequest),
        Response = typeof(GatewayAccepted), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/context/notify")] HttpRequest req,
        CancellationToken ct)
    {
        var inbound = await verifier.VerifyAsync(req, ct);
        var body = await req.ReadJsonAsync<ContextNotifyRequest>(ct);
        var n = body.Notification;
        var hip = AbdmLinking.Hip(inbound);
        if (n?.Hip?.Id is { Length: > 0 } named && named != hip.HipId)
        {
            hip = await hips.ServesAsync(inbound.Caller.Subject, named, ct)
                ? hip with { HipId = named }
                : throw new DomainException(ErrorKind.Forbidden, "FACILITY_NOT_SERVED", "notification.hip.id is not a HIP the caller serves.");
        }

        return await verifier.AcceptOnceAsync(inbound, nameof(NotifyCareContext), body, new GatewayAccepted(inbound.RequestId, "ACCEPTED"),
            token => linking.NotifyAsync(hip, inbound.RequestId, new ContextNotification(n?.Patient?.Id, n?.CareContext?.PatientReference,
                n?.CareContext?.CareContextReference, n?.HiTypes, hip.HipId), token), ct);
    }
}
