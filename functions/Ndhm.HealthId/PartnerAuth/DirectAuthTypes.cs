using System.Text.Json.Serialization;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>ABDM's <c>auth.status</c> of <c>users/auth/notify</c>.</summary>
public enum DirectAuthStatus
{
    [JsonStringEnumMemberName("GRANTED")] Granted,
    [JsonStringEnumMemberName("DENIED")] Denied,
}

/// <summary>ABDM <c>PatientAuthRequester</c> inside <c>AccessTokenValidity</c>.</summary>
public sealed record AuthValidityRequester(RequesterType Type, string Id);

/// <summary>ABDM <c>AccessTokenValidity</c>: what the access token may do, until when, how many times.</summary>
public sealed record AuthTokenValidity(AuthPurpose Purpose, AuthValidityRequester Requester, string Expiry, int Limit);

/// <summary>
/// The <c>auth</c> of ABDM <c>PatientAuthNotification</c> (<c>users/auth/notify</c>): the transaction, GRANTED or
/// DENIED, and when granted the access token (LINK, KYC_AND_LINK) and the demographics (KYC, KYC_AND_LINK).
/// </summary>
public sealed record DirectAuthNotification(string TransactionId, DirectAuthStatus Status, string? AccessToken = null,
    AuthTokenValidity? Validity = null, PatientDemographics? Patient = null);

/// <summary>A DIRECT request as the patient's app shows it: who asks, as which HIP or HIU, why, until when.</summary>
public sealed record PendingAuthRequest(string TransactionId, RequesterType RequesterType, string RequesterId, string PartnerId, AuthPurpose Purpose,
    string PatientId, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

/// <summary>The patient's answer to a DIRECT request, as recorded.</summary>
public sealed record DirectAuthDecision(string TransactionId, DirectAuthStatus Status, string NotificationRequestId);

/// <summary>
/// Port: sends <c>/v0.5/users/auth/notify</c> to the partner that opened the transaction, in the role it opened it as
/// (X-HIP-ID or X-HIU-ID). Sending the same <paramref name="requestId"/> again is the same delivery.
/// </summary>
public interface IDirectAuthNotifier
{
    Task NotifyAsync(PartnerAuthTransaction transaction, string requestId, DirectAuthNotification notification, CancellationToken ct);
}
