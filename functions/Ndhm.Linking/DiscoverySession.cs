using System.Text.Json.Serialization;

namespace Ndhm.Linking;

public enum DiscoveryStatus
{
    /// <summary>Sent to the HIP; waiting for on-discover (until the deadline).</summary>
    [JsonStringEnumMemberName("PENDING")] Pending,

    /// <summary>The HIP found the patient and listed care contexts.</summary>
    [JsonStringEnumMemberName("FOUND")] Found,

    /// <summary>The HIP answered with an error (no match, several matches).</summary>
    [JsonStringEnumMemberName("FAILED")] Failed,

    /// <summary>The HIP did not answer within the discovery timeout (ABDM-1401).</summary>
    [JsonStringEnumMemberName("TIMED_OUT")] TimedOut,
}

/// <summary>
/// One patient-initiated discovery at one HIP (ABDM's transactionId): the request sent to the HIP's bridge and
/// the HIP's answer. A session is open while pending and before its deadline; a late answer is refused.
/// </summary>
public sealed record DiscoverySession
{
    public required string TransactionId { get; init; }
    public required string AbhaNumber { get; init; }
    public required string AbhaAddress { get; init; }
    public required string HipId { get; init; }
    public required string PartnerId { get; init; }

    /// <summary>REQUEST-ID of the discover request sent to the HIP (the HIP's on-discover names it in resp.requestId).</summary>
    public required string RequestId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset DeadlineAt { get; init; }
    public DiscoveryStatus Status { get; init; } = DiscoveryStatus.Pending;
    public HipPatient? Patient { get; init; }
    public AbdmError? Error { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>The status as of <paramref name="now"/>: a pending session past its deadline has timed out.</summary>
    public DiscoveryStatus StatusAt(DateTimeOffset now) =>
        Status == DiscoveryStatus.Pending && now >= DeadlineAt ? DiscoveryStatus.TimedOut : Status;

    /// <summary>The error as of <paramref name="now"/> (ABDM-1401 once timed out).</summary>
    public AbdmError? ErrorAt(DateTimeOffset now) =>
        StatusAt(now) == DiscoveryStatus.TimedOut
            ? new AbdmError(LinkingErrors.Abdm.HipUnavailable, "The HIP did not answer the discovery in time.")
            : Error;

    public bool IsOpenAt(DateTimeOffset now) => StatusAt(now) == DiscoveryStatus.Pending;

    public DiscoverySession Answer(HipPatient? patient, AbdmError? error, DateTimeOffset now)
    {
        if (!IsOpenAt(now))
        {
            throw LinkingErrors.Error(Ndhm.Core.Errors.ErrorKind.Conflict, LinkingErrors.DiscoveryNotFound, LinkingErrors.Abdm.InvalidTransactionId,
                "This discovery is no longer waiting for an answer.",
                StatusAt(now) == DiscoveryStatus.TimedOut ? "The discovery timed out before the answer arrived." : "It was answered already.");
        }

        return patient is not null && error is null
            ? this with { Status = DiscoveryStatus.Found, Patient = patient, AnsweredAt = now }
            : this with
            {
                Status = DiscoveryStatus.Failed,
                Error = error ?? new AbdmError(LinkingErrors.Abdm.PatientNotFound, "No patient found at the HIP."),
                AnsweredAt = now,
            };
    }
}
