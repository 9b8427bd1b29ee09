using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.Linking;

public enum LinkRequestStatus
{
    /// <summary>link/init sent; waiting for the HIP's on-init.</summary>
    [JsonStringEnumMemberName("REQUESTED")] Requested,

    /// <summary>The HIP gave a link reference; waiting for the patient's OTP.</summary>
    [JsonStringEnumMemberName("AWAITING_OTP")] AwaitingOtp,

    /// <summary>link/confirm sent; waiting for the HIP's on-confirm.</summary>
    [JsonStringEnumMemberName("CONFIRMING")] Confirming,

    [JsonStringEnumMemberName("LINKED")] Linked,

    /// <summary>The HIP refused (see the error).</summary>
    [JsonStringEnumMemberName("FAILED")] Failed,
}

public enum LinkAuthentication
{
    /// <summary>The HIP sends the OTP and checks it on link/confirm.</summary>
    [JsonStringEnumMemberName("DIRECT")] Direct,

    /// <summary>The platform sends the OTP and checks it before link/confirm.</summary>
    [JsonStringEnumMemberName("MEDIATE")] Mediate,
}

/// <summary>
/// A patient-initiated link of chosen (discovered) care contexts at one HIP: init → the HIP's link reference and
/// OTP → the patient's OTP → confirm → the HIP's linked care contexts.
/// </summary>
public sealed record LinkRequest
{
    public required string Id { get; init; }
    public required string AbhaNumber { get; init; }
    public required string AbhaAddress { get; init; }
    public required string HipId { get; init; }
    public required string PartnerId { get; init; }

    /// <summary>The discovery's transactionId (ABDM carries it through init and on-init).</summary>
    public required string TransactionId { get; init; }

    public required string PatientReference { get; init; }

    /// <summary>The chosen care contexts, as discovered (display names included).</summary>
    public required IReadOnlyList<CareContext> CareContexts { get; init; }

    public required string InitRequestId { get; init; }
    public string? ConfirmRequestId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public LinkRequestStatus Status { get; init; } = LinkRequestStatus.Requested;
    public string? LinkRefNumber { get; init; }
    public LinkAuthentication? Authentication { get; init; }
    public string? CommunicationMedium { get; init; }
    public string? CommunicationHint { get; init; }
    public DateTimeOffset? OtpExpiresAt { get; init; }

    /// <summary>The Health ID OTP transaction when the platform sends the OTP (MEDIATE).</summary>
    public string? PlatformOtpTxnId { get; init; }

    public AbdmError? Error { get; init; }
    public IReadOnlyList<CareContext>? Linked { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }

    public IEnumerable<string> OutboundRequestIds => ConfirmRequestId is null ? [InitRequestId] : [InitRequestId, ConfirmRequestId];

    public LinkRequest ReferenceIssued(string linkRefNumber, LinkAuthentication authentication, string? medium, string? hint,
        DateTimeOffset otpExpiresAt, string? platformOtpTxnId, DateTimeOffset now)
    {
        Require(LinkRequestStatus.Requested, "on-init");
        return this with
        {
            Status = LinkRequestStatus.AwaitingOtp, LinkRefNumber = linkRefNumber, Authentication = authentication,
            CommunicationMedium = medium, CommunicationHint = hint, OtpExpiresAt = otpExpiresAt, PlatformOtpTxnId = platformOtpTxnId,
            UpdatedAt = now,
        };
    }

    /// <summary>Checks the OTP may still be entered (not expired, still awaiting it).</summary>
    public void EnsureAwaitingOtp(DateTimeOffset now)
    {
        if (Status != LinkRequestStatus.AwaitingOtp)
        {
            throw LinkingErrors.Error(ErrorKind.Conflict, LinkingErrors.LinkNotAwaitingOtp, LinkingErrors.Abdm.InvalidRequest,
                "This link is not waiting for an OTP.", $"Its status is {Status.ToString().ToUpperInvariant()}.");
        }

        if (OtpExpiresAt is { } expiry && now >= expiry)
        {
            throw LinkingErrors.Error(ErrorKind.Gone, LinkingErrors.OtpExpired, LinkingErrors.Abdm.OtpExpired,
                "The OTP has expired.", "Start linking again to get a new OTP.");
        }
    }

    public LinkRequest ConfirmSent(string confirmRequestId, DateTimeOffset now)
    {
        EnsureAwaitingOtp(now);
        return this with { Status = LinkRequestStatus.Confirming, ConfirmRequestId = confirmRequestId, UpdatedAt = now };
    }

    public LinkRequest Completed(IReadOnlyList<CareContext> linked, DateTimeOffset now)
    {
        Require(LinkRequestStatus.Confirming, "on-confirm");
        return this with { Status = LinkRequestStatus.Linked, Linked = linked, UpdatedAt = now };
    }

    /// <summary>
    /// The HIP refused. A refused confirm (wrong OTP at the HIP) leaves the link waiting for another OTP until it expires.
    /// </summary>
    public LinkRequest Refused(AbdmError error, DateTimeOffset now) =>
        Status == LinkRequestStatus.Confirming
            ? this with { Status = LinkRequestStatus.AwaitingOtp, Error = error, UpdatedAt = now }
            : this with { Status = LinkRequestStatus.Failed, Error = error, UpdatedAt = now };

    private void Require(LinkRequestStatus expected, string answer)
    {
        if (Status != expected)
        {
            throw LinkingErrors.Error(ErrorKind.Conflict, LinkingErrors.LinkRequestNotFound, LinkingErrors.Abdm.InvalidTransactionId,
                $"Unexpected {answer}.", $"The link request is {Status.ToString().ToUpperInvariant()}, not waiting for {answer}.");
        }
    }
}
