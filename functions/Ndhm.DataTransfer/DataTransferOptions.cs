using System.Globalization;

namespace Ndhm.DataTransfer;

/// <summary>
/// The exchange's lifetimes (configuration <c>DataTransfer__*</c>): ABDM's 20-minute HIP push window, the 2-hour whole
/// transfer, how often a running transfer re-checks its consent, and the largest page a HIP may push.
/// </summary>
public sealed class DataTransferOptions
{
    public const string Section = "DataTransfer";

    /// <summary>A HIP pushes and notifies within this after hip/request, else its care contexts are ERRORED (ABDM-1402).</summary>
    public TimeSpan HipPushWindow { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>A whole transfer closes by this after the HIU's request, whatever is still pending.</summary>
    public TimeSpan TransferLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A running transfer looks at its consent this often; revoked or expired stops it.</summary>
    public TimeSpan ConsentCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Clock skew allowed on the HIU's key expiry.</summary>
    public TimeSpan KeyClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    public static DataTransferOptions From(Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var defaults = new DataTransferOptions();
        return new DataTransferOptions
        {
            HipPushWindow = Span(read, nameof(HipPushWindow), defaults.HipPushWindow),
            TransferLifetime = Span(read, nameof(TransferLifetime), defaults.TransferLifetime),
            ConsentCheckInterval = Span(read, nameof(ConsentCheckInterval), defaults.ConsentCheckInterval),
            KeyClockSkew = Span(read, nameof(KeyClockSkew), defaults.KeyClockSkew),
        };
    }

    public static string Name(string property) => Section + "__" + property;

    private static TimeSpan Span(Func<string, string?> read, string property, TimeSpan fallback)
    {
        var value = read(Name(property));
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        return TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero
            ? span
            : throw new InvalidOperationException($"{Name(property)} must be a positive time span such as 00:20:00.");
    }
}
