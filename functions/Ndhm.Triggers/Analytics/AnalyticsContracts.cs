using System.Globalization;
using System.Text;
using Ndhm.Analytics;

namespace Ndhm.Triggers.Analytics;

internal static class AnalyticsHttp
{
    public const string Tag = "Analytics";

    /// <summary>Query parameters that are not dimension filters.</summary>
    public static readonly HashSet<string> Reserved = new(StringComparer.Ordinal) { "measure", "dimensions", "from", "to", "granularity", "format" };
}

public sealed record AnalyticsRowResponse(string Period, string Grain, IReadOnlyDictionary<string, string> Dimensions, long Count, double? Mean);

/// <param name="Total">The sum of the rows (released blocks only).</param>
/// <param name="Disclosure">How the figures are protected, for whoever reads them.</param>
public sealed record AnalyticsAggregatesResponse(string Measure, string From, string To, string Granularity, int Threshold,
    IReadOnlyList<string> Dimensions, string? ValueName, IReadOnlyList<AnalyticsRowResponse> Rows, long Total, string Disclosure)
{
    public const string DisclosureNote =
        "Counts of events. Blocks of fewer than the threshold events (one combination of all dimensions over a day, else its week, else its month) are never released; every row and the total are sums of released blocks, so no combination of queries isolates a smaller group. Rows with a coarser grain than requested are blocks released only at that grain.";

    public static AnalyticsAggregatesResponse Of(AnalyticsResult r) =>
        new(r.Measure, Date(r.From), Date(r.To), Grain(r.Granularity), r.Threshold, r.Dimensions, r.ValueName,
            r.Rows.Select(x => new AnalyticsRowResponse(x.Period, Grain(x.Grain), x.Dimensions, x.Count, x.Mean)).ToList(), r.Total, DisclosureNote);

    /// <summary>One line per row: period, grain, the dimensions asked for, count and (for measures with a value) its mean.</summary>
    public static string Csv(AnalyticsResult r)
    {
        var csv = new StringBuilder();
        var header = new List<string> { "period", "grain" };
        header.AddRange(r.Dimensions);
        header.Add("count");
        if (r.ValueName is { } value) header.Add("mean_" + value);
        csv.Append(string.Join(',', header.Select(Cell))).Append("\r\n");
        foreach (var row in r.Rows)
        {
            var cells = new List<string> { row.Period, Grain(row.Grain) };
            cells.AddRange(r.Dimensions.Select(d => row.Dimensions[d]));
            cells.Add(row.Count.ToString(CultureInfo.InvariantCulture));
            if (r.ValueName is not null) cells.Add(row.Mean?.ToString(CultureInfo.InvariantCulture) ?? "");
            csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Grain(PeriodGrain g) => g.ToString().ToLowerInvariant();

    // Codes only reach here, but a spreadsheet must never read a cell as a formula or split it.
    private static string Cell(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 || (value.Length > 0 && value[0] is '=' or '+' or '@')
            ? "\"" + (value.Length > 0 && value[0] is '=' or '+' or '@' ? "'" : "") + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
