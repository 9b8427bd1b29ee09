using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Linking;
using Ndhm.Triggers.Abdm;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Linking;

/// <summary>
/// ABDM <c>POST /v0.5/patients/status/on-notify</c>: a HIP acknowledges a <c>/patients/status/notify</c> (a patient's
/// ABHA deactivated, reactivated or deleted; <c>resp.requestId</c> = its requestId) with <c>OK</c> or an error. One not
/// sent to this partner is 404 PATIENT_STATUS_NOTIFICATION_NOT_FOUND; a body without <c>resp.requestId</c>, or with
/// neither an acknowledgment nor an error, or a status other than OK, is 400 and nothing is recorded.
/// </summary>
public sealed class OnPatientStatusNotify(AbdmRequestVerifier verifier, PatientStatusNotifier notifier)
{
    [Function(nameof(OnPatientStatusNotify))]
    [RequireRoles(Roles.Hip)]
    [OpenApiOperation("ABDM patients/status/on-notify: a HIP acknowledges a patient status notification (resp.requestId names it).",
        Request = typeof(PatientStatusOnNotifyRequest), SuccessStatus = 202, Tag = LinkingHttp.PartnerTag)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v0.5/patients/status/on-notify")] HttpRequest req, CancellationToken ct) =>
        verifier.AcceptAsync(req, nameof(OnPatientStatusNotify), (AbdmInbound<PatientStatusOnNotifyRequest> inbound) => Validate(inbound.Body),
            (inbound, answer, token) => notifier.AcknowledgeAsync(inbound.Caller.Subject, answer.NotificationId, answer.ErrorCode, token), ct);

    private static (string NotificationId, string? ErrorCode) Validate(PatientStatusOnNotifyRequest body)
    {
        var notificationId = body.Resp?.RequestId is { Length: > 0 } id && !string.IsNullOrWhiteSpace(id)
            ? id.Trim()
            : throw LinkingErrors.Invalid("resp.requestId is required.");
        var acknowledgment = body.Acknowledgment ?? body.Acknowledgement;
        if (body.Error is { } error)
        {
            var code = error.ToError().Code;
            return (notificationId, string.IsNullOrWhiteSpace(code) ? "ERROR" : code.Trim());
        }

        return acknowledgment?.Status?.Trim() == PatientStatusNotifier.AcknowledgedOk
            ? (notificationId, null)
            : throw LinkingErrors.Invalid("acknowledgment.status must be OK (or send an error).");
    }
}
