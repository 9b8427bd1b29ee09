namespace Ndhm.Gateway.Callbacks;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    DeadLettered,
}

/// <summary>How one HTTP attempt ended.</summary>
public enum AttemptOutcome
{
    Success,
    /// <summary>5xx, 429, timeout or connection failure: worth trying again.</summary>
    RetryableFailure,
    /// <summary>Any other 4xx (or an unusable bridge): retrying would get the same answer.</summary>
    PermanentFailure,
}

public sealed record DeliveryAttempt(int Number, DateTimeOffset At, long LatencyMs, int? ResponseCode, AttemptOutcome Outcome, string? Error);

/// <summary>
/// One callback or webhook to one partner, with every attempt made. <see cref="After"/> names an earlier delivery (to
/// <see cref="AfterPartnerId"/>, or to the same partner when that is null) that must be settled (delivered or
/// dead-lettered) before this one is attempted, so messages about one thing arrive in the order they were sent, also
/// across partners (a HIP is asked for data only once the HIU knows the transaction). A single document, read as a
/// <see cref="Ndhm.Core.Concurrency.Versioned{T}"/> and replaced with If-Match on its ETag; <see cref="NextAttempt"/> is the idempotency key of queue messages (a message for any other
/// attempt number is a duplicate or stale, see <see cref="Decide"/>).
/// </summary>
public sealed record Delivery(
    string Id,
    string PartnerId,
    string Path,
    string Body,
    string? AnswersRequestId,
    IReadOnlyDictionary<string, string> Headers,
    DeliveryStatus Status,
    int NextAttempt,
    int AttemptLimit,
    IReadOnlyList<DeliveryAttempt> Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextAttemptAt,
    string? After = null,
    string? AfterPartnerId = null)
{
    public static Delivery New(string id, string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, int maxAttempts, DateTimeOffset now) =>
        new(id, partnerId, path, body, answersRequestId, headers ?? new Dictionary<string, string>(), DeliveryStatus.Pending,
            1, maxAttempts, [], now, now, now);

    /// <summary>What to do with a queue message that asks for attempt <paramref name="messageAttempt"/>.</summary>
    public MessageDecision Decide(int messageAttempt)
    {
        if (Status != DeliveryStatus.Pending || messageAttempt < NextAttempt)
        {
            return MessageDecision.Ignore; // already delivered, dead-lettered, or a duplicate of an attempt made
        }

        // The message for the next attempt is enqueued before this document is saved; seeing it early means
        // the save has not landed yet (or is about to): look again shortly instead of losing it.
        return messageAttempt > NextAttempt ? MessageDecision.RetryLater : MessageDecision.Attempt;
    }

    /// <summary>Records an attempt and moves to the next state.</summary>
    public Delivery Record(DeliveryAttempt attempt, BackoffPolicy policy, double random01, DateTimeOffset now)
    {
        var attempts = Attempts.Append(attempt).ToList();
        var status = attempt.Outcome switch
        {
            AttemptOutcome.Success => DeliveryStatus.Delivered,
            AttemptOutcome.PermanentFailure => DeliveryStatus.DeadLettered,
            _ when attempt.Number >= AttemptLimit => DeliveryStatus.DeadLettered,
            _ => DeliveryStatus.Pending,
        };
        DateTimeOffset? next = status == DeliveryStatus.Pending ? now + policy.Delay(Math.Max(1, attempt.Number - (AttemptLimit - policy.MaxAttempts)), random01) : null;
        return this with { Attempts = attempts, Status = status, NextAttempt = attempt.Number + 1, UpdatedAt = now, NextAttemptAt = next };
    }

    /// <summary>A dead-lettered delivery gets a fresh budget of attempts.</summary>
    public Delivery Replay(BackoffPolicy policy, DateTimeOffset now) =>
        Status == DeliveryStatus.DeadLettered
            ? this with { Status = DeliveryStatus.Pending, AttemptLimit = NextAttempt - 1 + policy.MaxAttempts, UpdatedAt = now, NextAttemptAt = now }
            : throw new Ndhm.Core.Errors.DomainException(Ndhm.Core.Errors.ErrorKind.Conflict, GatewayErrors.DeliveryNotDeadLettered,
                "Only a dead-lettered delivery can be replayed.", $"This delivery is {Status}.");

    public static AttemptOutcome Classify(int? statusCode) => statusCode switch
    {
        null => AttemptOutcome.RetryableFailure, // timeout or connection failure
        >= 200 and < 300 => AttemptOutcome.Success,
        429 or 408 => AttemptOutcome.RetryableFailure,
        >= 500 => AttemptOutcome.RetryableFailure,
        _ => AttemptOutcome.PermanentFailure,
    };
}

public enum MessageDecision
{
    Attempt,
    Ignore,
    RetryLater,
}
