using System.Text.Json.Serialization;
using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.PartnerAuth;

public enum PartnerAuthStatus
{
    /// <summary>Waiting for users/auth/confirm (or, for DIRECT, the patient).</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,

    /// <summary>Confirmed once; it cannot be confirmed again.</summary>
    [JsonStringEnumMemberName("AUTHENTICATED")] Authenticated,

    /// <summary>Too many wrong answers; only a new users/auth/init helps.</summary>
    [JsonStringEnumMemberName("LOCKED")] Locked,

    /// <summary>DIRECT: the patient said no in their app; the partner was told DENIED.</summary>
    [JsonStringEnumMemberName("DENIED")] Denied,
}

/// <summary>
/// One users/auth transaction (ABDM's <c>transactionId</c>): which partner, as which HIP or HIU, authenticates which
/// ABHA, for what purpose and by which mode. Bound to the partner that opened it: another partner's confirm is
/// "not found". DIRECT transactions carry <see cref="PatientKey"/> (a keyed hash of the ABHA number), the key the
/// patient's app lists them by. For MOBILE_OTP the OTP itself lives in Health ID's OTP transaction (<see cref="OtpTxnId"/>), with its
/// hashing, expiry and attempt count; DEMOGRAPHICS attempts are counted here. Stored in the <c>otp</c> container
/// (id = pk = <c>partner-auth:</c> + the transaction id, a UUID), replaced with If-Match, removed by its <c>ttl</c>.
/// </summary>
public sealed record PartnerAuthTransaction(
    string Id,
    string Pk,
    string TransactionId,
    string PartnerId,
    RequesterType RequesterType,
    string RequesterId,
    AuthPurpose Purpose,
    AuthMode Mode,
    AbhaNumber AbhaNumber,
    string PatientId,
    string? OtpTxnId,
    int Attempts,
    PartnerAuthStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    int Ttl,
    string? PatientKey = null)
{
    public const string DocumentType = "partner-auth";

    public string Type { get; init; } = DocumentType;

    /// <summary>
    /// The document id of a transaction id: prefixed, so it never collides with, and is never read as, one of Health
    /// ID's OTP transactions in the same container (whose ids are bare UUIDs).
    /// </summary>
    public static string DocumentId(string transactionId) => DocumentType + ":" + transactionId;

    public bool BelongsTo(AuthRequester requester) =>
        requester is not null && requester.PartnerId == PartnerId && requester.Type == RequesterType && requester.Id == RequesterId;
}

/// <summary>Port: partner-auth transactions (If-Match on replace; a lost race is PreconditionFailed).</summary>
public interface IPartnerAuthTransactionStore
{
    Task<Versioned<PartnerAuthTransaction>?> FindAsync(string transactionId, CancellationToken ct);

    Task CreateAsync(PartnerAuthTransaction transaction, CancellationToken ct);

    Task ReplaceAsync(PartnerAuthTransaction transaction, string ifMatch, CancellationToken ct);

    /// <summary>The DIRECT transactions opened for the patient with this <see cref="PartnerAuthTransaction.PatientKey"/> (any status), newest first.</summary>
    Task<IReadOnlyList<PartnerAuthTransaction>> ListDirectAsync(string patientKey, int take, CancellationToken ct);

    /// <summary>Create-only: false when a notice with this id exists already.</summary>
    Task<bool> TryCreateNoticeAsync(PartnerAuthNotice notice, CancellationToken ct);

    Task<Versioned<PartnerAuthNotice>?> FindNoticeAsync(string requestId, CancellationToken ct);

    /// <summary>If-Match replace; false when the notice changed meanwhile.</summary>
    Task<bool> TryReplaceNoticeAsync(PartnerAuthNotice notice, string ifMatch, CancellationToken ct);
}

/// <summary>
/// One <c>users/auth/notify</c> sent to a partner (DIRECT mode): its requestId, which the partner's
/// <c>users/auth/on-notify</c> answers in <c>resp.requestId</c>, whether it was handed to the callback machinery
/// (<see cref="HandedOverAt"/>: a repeated answer does not hand it over again) and whether the partner acknowledged it. Stored beside the transactions
/// (id = pk = <c>partner-auth-notice:</c> + the requestId, a UUID), removed by its <c>ttl</c>.
/// </summary>
public sealed record PartnerAuthNotice(
    string Id,
    string Pk,
    string RequestId,
    string TransactionId,
    string PartnerId,
    string Status,
    DateTimeOffset SentAt,
    DateTimeOffset? AcknowledgedAt,
    int Ttl,
    DateTimeOffset? HandedOverAt = null)
{
    public const string DocumentType = "partner-auth-notice";

    public string Type { get; init; } = DocumentType;

    public static string DocumentId(string requestId) => DocumentType + ":" + requestId;
}
