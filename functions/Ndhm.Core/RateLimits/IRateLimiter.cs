namespace Ndhm.Core.RateLimits;

/// <summary>
/// Counts attempts per policy and key in state every instance of the app shares, so a limit holds however many
/// instances serve the traffic. Keys are opaque to the limiter (adapters store only a hash of them).
/// </summary>
public interface IRateLimiter
{
    /// <summary>Counts one attempt; refused once the policy's limit for this key is used up in the current window.</summary>
    Task<RateLimitDecision> TryAcquireAsync(RateLimitPolicy policy, string key, CancellationToken ct);
}

/// <param name="Count">Attempts counted in the current window, this one included (0 when refused without counting).</param>
/// <param name="RetryAfter">Until the window ends: when a refused caller may try again.</param>
public readonly record struct RateLimitDecision(bool Allowed, long Count, TimeSpan RetryAfter)
{
    public static RateLimitDecision Allow(long count, TimeSpan untilWindowEnd) => new(true, count, untilWindowEnd);

    public static RateLimitDecision Refuse(long count, TimeSpan retryAfter) => new(false, count, retryAfter);

    /// <summary>Whole seconds for a Retry-After header: rounded up and at least one, so a client never retries early.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
