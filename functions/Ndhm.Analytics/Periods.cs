using System.Globalization;

namespace Ndhm.Analytics;

public enum PeriodGrain
{
    Day,
    Week,
    Month,
}

/// <summary>
/// A reporting period. Weeks are the month's quarters (days 1-7, 8-14, 15-21, 22-end) so every week lies inside one
/// month and day, week and month periods nest exactly: a coarser period is always a union of finer ones.
/// </summary>
public sealed record Period(DateOnly Start, DateOnly End, PeriodGrain Grain)
{
    public string Label => Grain switch
    {
        PeriodGrain.Day => Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodGrain.Week => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture) + "-W" + (WeekIndex(Start) + 1).ToString(CultureInfo.InvariantCulture),
        _ => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };

    public static Period DayOf(DateOnly day) => new(day, day, PeriodGrain.Day);

    public static Period WeekOf(DateOnly day)
    {
        var index = WeekIndex(day);
        var start = new DateOnly(day.Year, day.Month, index * 7 + 1);
        var end = index == 3 ? new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)) : start.AddDays(6);
        return new Period(start, end, PeriodGrain.Week);
    }

    public static Period MonthOf(DateOnly day) =>
        new(new DateOnly(day.Year, day.Month, 1), new DateOnly(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month)), PeriodGrain.Month);

    /// <summary>This period at <paramref name="grain"/>, or itself when it is already as coarse (never finer).</summary>
    public Period AtLeast(PeriodGrain grain) => grain <= Grain ? this : grain == PeriodGrain.Week ? WeekOf(Start) : MonthOf(Start);

    public bool Within(DateOnly from, DateOnly to) => Start >= from && End <= to;

    private static int WeekIndex(DateOnly day) => Math.Min((day.Day - 1) / 7, 3);
}
