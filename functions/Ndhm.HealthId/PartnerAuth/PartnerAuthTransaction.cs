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
}

/// <summary>
/// One users/auth transaction (ABDM's <c>transactionId</c>): which partner, as which HIP or HIU, authenticates which
/// ABHA, for what purpose and by which mode. Bound to the partner that opened it: another partner's confirm is
/// "not found". For MOBILE_OTP the OTP itself lives in Health ID's OTP transaction (<see cref="OtpTxnId"/>), with its
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
    int Ttl)
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
}
