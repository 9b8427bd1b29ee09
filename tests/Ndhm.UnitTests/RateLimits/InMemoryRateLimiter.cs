using Ndhm.Core.RateLimits;

namespace Ndhm.UnitTests.RateLimits;

/// <summary>The fixed-window limiter's contract in memory (the Cosmos adapter is tested against the emulator).</summary>
internal sealed class InMemoryRateLimiter(TimeProvider time) : IRateLimiter
{
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    public List<string> Keys { get; } = [];

    /// <summary>Limits with every policy raised out of the way, for tests about something else.</summary>
    public static RateLimitPolicies Generous { get; } = RateLimitPolicies.FromSettings(name => name.EndsWith("__Limit", StringComparison.Ordinal) ? "1000000" : null);

    public Task<RateLimitDecision> TryAcquireAsync(RateLimitPolicy policy, string key, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = $"{policy.Name}|{key}|{policy.WindowStart(now).UtcTicks}";
        Keys.Add(policy.Name + " " + key);
        counts[id] = counts.GetValueOrDefault(id) + 1;
        return Task.FromResult(policy.Decide(counts[id], now));
    }
}
