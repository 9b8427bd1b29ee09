using System.Text.Json.Serialization;
using Ndhm.Core.Errors;
using Ndhm.Core.Ids;

namespace Ndhm.Linking;

/// <summary>ABDM's <c>PatientStatusNotification.notification.status</c>.</summary>
public enum PatientAccountStatus
{
    [JsonStringEnumMemberName("DEACTIVATED")] Deactivated,
    [JsonStringEnumMemberName("REACTIVATED")] Reactivated,
    [JsonStringEnumMemberName("DELETED")] Deleted,
}

/// <summary>A <c>patients/status/notify</c> sent to one HIP partner, and whether that partner acknowledged it.</summary>
/// <param name="RequestId">The notification's requestId (what the partner's on-notify names in <c>resp.requestId</c>).</param>
/// <param name="Outcome">The partner's answer: <c>OK</c>, or the code of the error it sent; null until it answers.</param>
public sealed record PatientStatusNotice(string RequestId, string PartnerId, string HipId, PatientAccountStatus Status, DateTimeOffset SentAt,
    DateTimeOffset? AcknowledgedAt = null, string? Outcome = null);

/// <summary>
/// Port: the notices sent, for their acknowledgements. They name the HIP and the status, not the patient: nothing
/// about an erased patient stays behind in them.
/// </summary>
public interface IPatientStatusNoticeStore
{
    /// <summary>Create-only: a notice already recorded (a repeated status change) is left as it is.</summary>
    Task RecordAsync(PatientStatusNotice notice, CancellationToken ct);

    /// <summary>
    /// Marks the notice acknowledged with <paramref name="outcome"/>; true when it exists and was sent to
    /// <paramref name="partnerId"/> (a second acknowledgement keeps the first), false otherwise.
    /// </summary>
    Task<bool> AcknowledgeAsync(string partnerId, string requestId, string outcome, DateTimeOffset at, CancellationToken ct);
}

/// <summary><c>/v0.5/patients/status/notify</c>'s body (ABDM <c>PatientStatusNotification</c>).</summary>
public sealed record PatientStatusNotifyMessage(string RequestId, string Timestamp, PatientStatusNotification Notification);

public sealed record PatientStatusNotification(PatientAccountStatus Status, PatientStatusSubject Patient);

/// <param name="Id">The ABHA address the HIP linked the patient's records under.</param>
public sealed record PatientStatusSubject(string Id);

/// <summary>
/// ABDM <c>patients/status/notify</c>: when a patient's ABHA is deactivated, reactivated or deleted, the consent manager
/// tells every HIP where the patient has linked care contexts (the HIP partner of each of the patient's links documents
/// that holds any; the platform's own care contexts have no bridge), naming the patient by the ABHA address those links
/// were made under, with <c>X-HIP-ID</c> = the HIP. Each notice's requestId derives from the patient, the change and the
/// HIP, so telling the same change again (a repeated deactivation, a retried request) is the same delivery; the HIP
/// answers with <c>patients/status/on-notify</c> naming it in <c>resp.requestId</c>. Each notice is recorded on the
/// patient's audit chain before it is sent.
/// </summary>
public sealed class PatientStatusNotifier(ICareContextLinkStore store, IHipBridge bridge, IPatientStatusNoticeStore notices,
    LinkingAudit audit, TimeProvider time)
{
    public const string NotifyPath = "/v0.5/patients/status/notify";
    public const string AuditAction = "patient.status.notify";
    public const string AcknowledgedOk = "OK";
    public const string NotificationNotFound = "PATIENT_STATUS_NOTIFICATION_NOT_FOUND";

    /// <summary>Tells each HIP holding the patient's linked care contexts; the notices sent (one per HIP).</summary>
    /// <param name="abhaNumber">14 digits.</param>
    /// <param name="occurrence">What tells this change apart from earlier ones of the same kind (the same for a repeat).</param>
    public async Task<IReadOnlyList<PatientStatusNotice>> NotifyAsync(string abhaNumber, PatientAccountStatus status, string occurrence,
        CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(abhaNumber);
        ArgumentException.ThrowIfNullOrWhiteSpace(occurrence);
        var sent = new List<PatientStatusNotice>();
        foreach (var links in await store.ListLinksAsync(abhaNumber, ct))
        {
            if (links.CareContexts.Count == 0 || links.PartnerId == PlatformHip.PartnerId) continue;
            var requestId = NotificationId(abhaNumber, status, occurrence, links.PartnerId, links.HipId);
            var now = time.GetUtcNow();
            var notice = new PatientStatusNotice(requestId, links.PartnerId, links.HipId, status, now);
            await audit.RecordAsync(abhaNumber, AuditAction, links.HipId, Name(status), ct);
            await notices.RecordAsync(notice, ct);
            await bridge.SendAsync(new HipEndpoint(links.HipId, links.PartnerId), NotifyPath,
                new PatientStatusNotifyMessage(requestId, PatientLinkingService.Stamp(now),
                    new PatientStatusNotification(status, new PatientStatusSubject(links.AbhaAddress))), null, ct);
            sent.Add(notice);
        }

        return sent;
    }

    /// <summary>
    /// A HIP's <c>patients/status/on-notify</c>: <paramref name="errorCode"/> null for ABDM's <c>OK</c>. A requestId that
    /// names no notice sent to <paramref name="partnerId"/> is 404 (nothing recorded).
    /// </summary>
    public async Task AcknowledgeAsync(string partnerId, string notificationRequestId, string? errorCode, CancellationToken ct)
    {
        if (!Guid.TryParse(notificationRequestId, out var parsed)
            || !await notices.AcknowledgeAsync(partnerId, parsed.ToString(), errorCode ?? AcknowledgedOk, time.GetUtcNow(), ct))
        {
            throw LinkingErrors.Error(ErrorKind.NotFound, NotificationNotFound, LinkingErrors.Abdm.NotFound,
                "No such notification was sent to this partner.",
                "resp.requestId must be the requestId of a patients/status/notify sent to you.");
        }
    }

    /// <summary>A UUID from the patient, the change and the HIP: stable across repeats, different for every notice.</summary>
    public static string NotificationId(string abhaNumber, PatientAccountStatus status, string occurrence, string partnerId, string hipId) =>
        DerivedIds.From($"patient-status-notify\n{abhaNumber}\n{Name(status)}\n{occurrence}\n{partnerId}\n{hipId}");

    public static string Name(PatientAccountStatus status) => status switch
    {
        PatientAccountStatus.Deactivated => "DEACTIVATED",
        PatientAccountStatus.Reactivated => "REACTIVATED",
        PatientAccountStatus.Deleted => "DELETED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
