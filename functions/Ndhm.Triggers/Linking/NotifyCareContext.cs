using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>A HIP tells the patient that a linked care context has new data: SMS to the patient, then on-notify to the HIP.</summary>
public sealed class NotifyCareContext(AbdmRequestVerifier verifier, HipInitiatedLinkingService linking, IHipDirectory hips)
{
    [Function(nameof(NotifyCareContext))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM links/context/notify: 202, answered by POST {bridge}/v0.5/links/context/on-notify.", Request = typeof(ContextNotifyRequest),
        SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/links/context/notify")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(NotifyCareContext), async (AbdmInbound<ContextNotifyRequest> inbound, CancellationToken token) =>
        {
            var n = inbound.Body.Notification;
            var hip = await AbdmLinking.HipAsync(hips, inbound, token);
            if (n?.Hip?.Id is { Length: > 0 } named && named != hip.HipId && named != inbound.Caller.Subject)
            {
                hip = await hips.ServesAsync(inbound.Caller.Subject, named, token)
                    ? hip with { HipId = named }
                    : throw AbdmErrors.Error(ErrorKind.Forbidden, AbdmErrors.InvalidHip, "FACILITY_NOT_SERVED", "notification.hip.id is not a HIP the caller serves.");
            }

            await linking.NotifyAsync(hip, inbound.RequestId, new ContextNotification(n?.Patient?.Id, n?.CareContext?.PatientReference,
                n?.CareContext?.CareContextReference, n?.HiTypes, hip.HipId, Date(n?.Date)), token);
        }, ct);

    private static DateTimeOffset? Date(string? value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var date) ? date : null;
}
