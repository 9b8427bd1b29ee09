using System.Globalization;

namespace Ndhm.Gateway.Inbound;

/// <summary>
/// ABDM request headers: <c>REQUEST-ID</c> is a UUID; <c>TIMESTAMP</c> is UTC ISO-8601, at most
/// <see cref="MaxAge"/> old and at most <see cref="FutureSkew"/> ahead of our clock.
/// </summary>
public static class GatewayRequestRules
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan FutureSkew = TimeSpan.FromSeconds(30);

    public static Guid ValidateRequestId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw GatewayErrors.Invalid(GatewayErrors.MissingRequestId, "The REQUEST-ID header is required.");
        }

        return Guid.TryParseExact(value.Trim(), "D", out var id)
            ? id
            : throw GatewayErrors.Invalid(GatewayErrors.InvalidRequestId, "REQUEST-ID must be a UUID.", "Use the 8-4-4-4-12 hexadecimal form.");
    }

    public static DateTimeOffset ValidateTimestamp(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw GatewayErrors.Invalid(GatewayErrors.MissingTimestamp, "The TIMESTAMP header is required.");
        }

        if (!DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            throw GatewayErrors.Invalid(GatewayErrors.InvalidTimestamp, "TIMESTAMP is not an ISO-8601 date-time.", "For example 2026-11-25T10:15:30.000Z.");
        }

        if (at < now - MaxAge)
        {
            throw GatewayErrors.Invalid(GatewayErrors.StaleTimestamp, "TIMESTAMP is too old.", $"Requests older than {MaxAge.TotalMinutes} minutes are refused.");
        }

        return at > now + FutureSkew
            ? throw GatewayErrors.Invalid(GatewayErrors.FutureTimestamp, "TIMESTAMP is in the future.", $"At most {FutureSkew.TotalSeconds} seconds of clock skew are tolerated.")
            : at;
    }
}

/// <summary>A partner request already seen (same partner and REQUEST-ID) and the answer it got.</summary>
/// <param name="Completed">
/// False from the moment the request is accepted until its work has run; true after. Null on records written before
/// the flag existed, which count as completed.
/// </param>
public sealed record RequestRecord(string PartnerId, string RequestId, string Operation, string Fingerprint, int Status, string ResponseBody,
    DateTimeOffset ReceivedAt, bool? Completed = null);

public enum RepeatDecision
{
    /// <summary>First time: do the work.</summary>
    New,
    /// <summary>Same request again: answer what was answered, do nothing.</summary>
    Replay,
    /// <summary>
    /// Same request again, but its work never finished (the process died after accepting it): run the work again
    /// (it is idempotent) and answer what was answered.
    /// </summary>
    Resume,
    /// <summary>The REQUEST-ID was used for a different request: refuse.</summary>
    Conflict,
}

public static class Idempotency
{
    public static RepeatDecision Decide(RequestRecord? existing, string operation, string fingerprint) =>
        existing is null ? RepeatDecision.New
        : existing.Operation != operation || existing.Fingerprint != fingerprint ? RepeatDecision.Conflict
        : existing.Completed == false ? RepeatDecision.Resume
        : RepeatDecision.Replay;
}

/// <summary>Request records keyed by partner + REQUEST-ID, kept for a while (TTL).</summary>
public interface IRequestLog
{
    /// <summary>Stores the record unless one exists; returns the existing record when it does.</summary>
    Task<RequestRecord?> TryAddAsync(RequestRecord record, CancellationToken ct);

    /// <summary>Records that the request's work has run (<see cref="RequestRecord.Completed"/>).</summary>
    Task MarkCompletedAsync(RequestRecord record, CancellationToken ct);
}
