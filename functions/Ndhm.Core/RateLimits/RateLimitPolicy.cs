namespace Ndhm.Core.RateLimits;

/// <summary>
/// A fixed-window limit: at most <see cref="Limit"/> attempts per key in each <see cref="Window"/>, windows aligned
/// to the Unix epoch so every instance agrees on where a window starts without talking to the others.
/// </summary>
/// <param name="Name">Stable name: part of the counter's identity and of its settings (<c>RateLimits__{Name}__Limit</c>).</param>
public sealed record RateLimitPolicy(string Name, int Limit, TimeSpan Window)
{
    public RateLimitPolicy Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !char.IsAsciiLetterOrDigit(c)))
            throw new ArgumentException($"Rate-limit policy name '{Name}' must be ASCII letters and digits.");
        if (Limit < 1)
            throw new ArgumentException($"Rate-limit policy {Name}: the limit must be at least 1 (got {Limit}).");
        if (Window < TimeSpan.FromSeconds(1) || Window.Ticks % TimeSpan.TicksPerSecond != 0)
            throw new ArgumentException($"Rate-limit policy {Name}: the window must be a whole number of seconds (got {Window}).");
        return this;
    }

    /// <summary>Start of the window that contains <paramref name="now"/>.</summary>
    public DateTimeOffset WindowStart(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % Window.Ticks));
    }

    public DateTimeOffset WindowEnd(DateTimeOffset now) => WindowStart(now) + Window;

    /// <summary>The decision for the <paramref name="count"/>-th attempt of the window containing <paramref name="now"/>.</summary>
    public RateLimitDecision Decide(long count, DateTimeOffset now) =>
        count <= Limit ? RateLimitDecision.Allow(count, WindowEnd(now) - now) : RateLimitDecision.Refuse(count, WindowEnd(now) - now);
}
