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

/// <summary>A HIP's SMS to a patient (a visit's records are ready, with a deep link): sent, then on-notify ACKNOWLEDGED to the HIP.</summary>
public sealed class NotifyPatientSms(AbdmRequestVerifier verifier, HipInitiatedLinkingService linking, IHipDirectory hips)
{
    [Function(nameof(NotifyPatientSms))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM patients/sms/notify: 202, answered by POST {bridge}/v0.5/patients/sms/on-notify.", Request = typeof(SmsNotifyRequest),
        SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/patients/sms/notify")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(NotifyPatientSms), async (AbdmInbound<SmsNotifyRequest> inbound, CancellationToken token) =>
        {
            var n = inbound.Body.Notification ?? throw LinkingErrors.Invalid("notification is required.");
            var hip = await AbdmLinking.HipAsync(hips, inbound, token);
            if (n.Hip?.Id is { Length: > 0 } named && named != hip.HipId && named != inbound.Caller.Subject)
            {
                hip = await hips.ServesAsync(inbound.Caller.Subject, named, token)
                    ? hip with { HipId = named }
                    : throw AbdmErrors.Error(ErrorKind.Forbidden, AbdmErrors.InvalidHip, "FACILITY_NOT_SERVED", "notification.hip.id is not a HIP the caller serves.");
            }

            await linking.SmsNotifyAsync(hip, inbound.RequestId,
                new SmsNotification(n.PhoneNo, n.ReceiverName, n.CareContextInfo, n.DeeplinkUrl, n.Hip?.Name), token);
        }, ct);
}
