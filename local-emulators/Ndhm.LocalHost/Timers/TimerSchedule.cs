using System.Globalization;
using Cronos;

namespace Ndhm.LocalHost.Timers;

/// <summary>
/// A timer trigger's schedule: a 6-field CRON expression with seconds (what Functions' NCRONTAB accepts), or a
/// constant interval written as a TimeSpan (<c>hh:mm:ss</c>), which the Functions host also accepts.
/// </summary>
public sealed class TimerSchedule
{
    private readonly CronExpression? cron;
    private readonly TimeSpan? interval;
    private readonly TimeZoneInfo zone;

    private TimerSchedule(CronExpression? cron, TimeSpan? interval, TimeZoneInfo zone)
    {
        this.cron = cron;
        this.interval = interval;
        this.zone = zone;
    }

    public string Description => cron?.ToString() ?? $"every {interval}";

    public static TimerSchedule Parse(string expression, TimeZoneInfo zone, string usedBy)
    {
        var trimmed = expression.Trim();
        if (!trimmed.Contains(' ', StringComparison.Ordinal)
            && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero)
        {
            return new TimerSchedule(null, every, zone);
        }

        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 6)
        {
            throw new NotSupportedException(
                $"{usedBy}: timer schedule '{expression}' must have 6 fields (second minute hour day month day-of-week), " +
                "as Azure Functions requires.");
        }

        try
        {
            return new TimerSchedule(CronExpression.Parse(trimmed, CronFormat.IncludeSeconds), null, zone);
        }
        catch (CronFormatException e)
        {
            throw new NotSupportedException($"{usedBy}: timer schedule '{expression}' is not a valid CRON expression: {e.Message}", e);
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTimeOffset? Next(DateTimeOffset after) =>
        interval is { } every
            ? after + every
            : cron!.GetNextOccurrence(after, zone, inclusive: false);
}
