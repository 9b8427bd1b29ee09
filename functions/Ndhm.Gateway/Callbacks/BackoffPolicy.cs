namespace Ndhm.Gateway.Callbacks;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n (1-based, the attempt that just failed) waits between
/// half and all of min(max, initial * 2^(n-1)). Half is guaranteed so retries never bunch up at zero; the
/// random half spreads a burst of failed deliveries over time.
/// </summary>
public sealed record BackoffPolicy(int MaxAttempts, TimeSpan InitialDelay, TimeSpan MaxDelay)
{
    public static BackoffPolicy Default { get; } = new(8, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(30));

    /// <summary>The ceiling (before jitter) of the wait after failed attempt <paramref name="failedAttempt"/>.</summary>
    public TimeSpan Ceiling(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var factor = Math.Pow(2, Math.Min(failedAttempt - 1, 30));
        var ms = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * factor);
        return TimeSpan.FromMilliseconds(ms);
    }

    /// <param name="random01">A uniform value in [0, 1) (injected so tests can pin it).</param>
    public TimeSpan Delay(int failedAttempt, double random01)
    {
        var ceiling = Ceiling(failedAttempt).TotalMilliseconds;
        var r = Math.Clamp(random01, 0, 1);
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * r);
    }
}
