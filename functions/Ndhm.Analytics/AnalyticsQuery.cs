using System.Globalization;
using Ndhm.Core.Errors;

namespace Ndhm.Analytics;

/// <summary>
/// A validated question: a measure, the dimensions to group by, equality filters on dimensions, a date range (the
/// end clamped to yesterday: an open day is never released, since each new event would change it) and a grain.
/// </summary>
public sealed record AnalyticsQuery(MeasureDefinition Measure, IReadOnlyList<string> GroupBy, IReadOnlyDictionary<string, string> Filters,
    DateOnly From, DateOnly To, PeriodGrain Grain)
{
    public const int MaxDays = 366;

    public static AnalyticsQuery Create(AnalyticsDefinitions definitions, string? measure, string? dimensions,
        IReadOnlyDictionary<string, string> filters, string? from, string? to, string? granularity, DateOnly today)
    {
        var m = definitions.Measure(measure) ?? throw Invalid(AnalyticsErrors.UnknownMeasure, "measure is not a known measure.",
            "One of: " + string.Join(", ", definitions.Measures.Select(d => d.Name)) + ".");
        var groupBy = string.IsNullOrWhiteSpace(dimensions)
            ? []
            : dimensions.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var name in groupBy)
        {
            if (m.Dimension(name) is null)
            {
                throw Invalid(AnalyticsErrors.InvalidDimension, $"'{Clip(name)}' is not a dimension of {m.Name}.",
                    "One of: " + string.Join(", ", m.AllDimensions.Select(d => d.Name)) + ".");
            }
        }

        if (groupBy.Distinct(StringComparer.Ordinal).Count() != groupBy.Length)
        {
            throw Invalid(AnalyticsErrors.InvalidDimension, "A dimension is named twice.", "Name each dimension once.");
        }

        foreach (var (name, value) in filters)
        {
            if (m.Dimension(name) is not { } d || !(d.Accepts(value) || value == AnalyticsDefinitions.Unknown))
            {
                throw Invalid(AnalyticsErrors.InvalidFilter, $"The filter '{Clip(name)}' is not a dimension of {m.Name} or its value is not one of its codes.",
                    "Filter on a dimension with one of its codes (or 'unknown').");
            }
        }

        var start = ParseDate(from, "from");
        var end = ParseDate(to, "to");
        var yesterday = today.AddDays(-1);
        if (end > yesterday) end = yesterday;
        if (start > end || end.DayNumber - start.DayNumber + 1 > MaxDays)
        {
            throw Invalid(AnalyticsErrors.InvalidDateRange, "The date range is empty or too long.",
                $"from <= to, at most {MaxDays} days, ending yesterday at the latest (today is still open).");
        }

        var grain = (granularity ?? "day") switch
        {
            "day" => PeriodGrain.Day,
            "week" => PeriodGrain.Week,
            "month" => PeriodGrain.Month,
            _ => throw Invalid(AnalyticsErrors.InvalidGranularity, "granularity is day, week or month.", "Leave it out for day."),
        };
        return new AnalyticsQuery(m, groupBy, filters, start, end, grain);
    }

    /// <summary>The months the range touches (each read whole: the blocks are made per month).</summary>
    public IEnumerable<(int Year, int Month)> Months()
    {
        for (var d = new DateOnly(From.Year, From.Month, 1); d <= To; d = d.AddMonths(1))
        {
            yield return (d.Year, d.Month);
        }
    }

    private static DateOnly ParseDate(string? text, string field) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw Invalid(AnalyticsErrors.InvalidDateRange, $"{field} is not a date (yyyy-MM-dd).", "Send from and to as yyyy-MM-dd.");

    private static string Clip(string s) => s.Length > 40 ? s[..40] : s;

    private static DomainException Invalid(string code, string title, string detail) => new(ErrorKind.Validation, code, title, detail);
}

public sealed record AnalyticsRow(string Period, PeriodGrain Grain, IReadOnlyDictionary<string, string> Dimensions, long Count, double? Mean);

/// <param name="Total">The sum of the rows: only released blocks, never a withheld event.</param>
public sealed record AnalyticsResult(string Measure, DateOnly From, DateOnly To, PeriodGrain Granularity, int Threshold,
    IReadOnlyList<string> Dimensions, string? ValueName, IReadOnlyList<AnalyticsRow> Rows, long Total);
