using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Ndhm.Analytics;

namespace Ndhm.UnitTests.Analytics;

/// <summary>
/// Random event tables (two months, two states, two districts, a few age bands and genders, 0-14 events per cell and
/// day) and random queries (ranges, grains, groupings, filters): the suppression holds against single queries,
/// differencing and reconstruction from margins.
/// </summary>
public sealed class DisclosureControlProperties
{
    private const int K = 10;
    private static readonly DateOnly Start = new(2026, 10, 1);
    private static readonly string[] States = ["MH", "KA"];
    private static readonly string[] Ages = ["15-29", "30-44", "75+"];
    private static readonly string[] Genders = ["F", "M"];
    private static readonly string[] Groupable = ["state", "district", "ageBand", "gender"];

    private static List<AggregateSlice> Table((byte Day, byte Combo, byte Count)[] cells) => AnalyticsRig.Slices(Events(cells));

    private static IEnumerable<(DateOnly, string, string, string, string, int)> Events((byte Day, byte Combo, byte Count)[] cells) =>
        cells.Select(c => (
            Start.AddDays(c.Day % 61),
            States[c.Combo % 2], ((c.Combo / 2) % 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Ages[(c.Combo / 4) % 3], Genders[(c.Combo / 12) % 2],
            c.Count % 15));

    private static AnalyticsQuery Query(byte from, byte length, byte grain, byte groups, byte filter)
    {
        var start = Start.AddDays(from % 61);
        var end = start.AddDays(length % 61);
        var groupBy = Groupable.Where((_, i) => (groups & (1 << i)) != 0).ToArray();
        var filters = new Dictionary<string, string>();
        if ((filter & 1) != 0) filters["state"] = States[(filter >> 1) % 2];
        if ((filter & 4) != 0) filters["gender"] = Genders[(filter >> 3) % 2];
        if ((filter & 16) != 0) filters["ageBand"] = Ages[(filter >> 5) % 3];
        return AnalyticsRig.Query(start, end, (PeriodGrain)(grain % 3), groupBy, filters);
    }

    private static AnalyticsResult Answer(List<AggregateSlice> table, AnalyticsQuery query) => AnalyticsRig.Answer(table, query, K);

    [Property(MaxTest = 200)]
    public bool GivenAnyTableAndQuery_ThenEveryReleasedRowHoldsAtLeastTheThreshold((byte, byte, byte)[] cells, byte from, byte length, byte grain, byte groups, byte filter)
    {
        var result = Answer(Table(cells), Query(from, length, grain, groups, filter));

        return result.Rows.All(r => r.Count >= K) && result.Total == result.Rows.Sum(r => r.Count);
    }

    /// <summary>Differencing: two queries, one range inside the other (or one filter stricter), never differ by 1..K-1.</summary>
    [Property(MaxTest = 300)]
    public bool GivenTwoNestedQueries_ThenTheirDifferenceIsZeroOrAtLeastTheThreshold((byte, byte, byte)[] cells, byte from, byte length, byte cut, byte grain, byte filter, bool byRange)
    {
        var table = Table(cells);
        var outer = Query(from, length, grain, 0, filter);
        var inner = byRange
            ? outer with { From = outer.From.AddDays(cut % 3), To = outer.To.AddDays(-(cut / 3 % 3)) }
            : outer with { Filters = new Dictionary<string, string>(outer.Filters) { ["ageBand"] = Ages[cut % 3] } };
        if (inner.From > inner.To || (!byRange && outer.Filters.ContainsKey("ageBand"))) return true;

        var difference = Answer(table, outer).Total - Answer(table, inner).Total;

        return difference == 0 || difference >= K;
    }

    /// <summary>
    /// Reconstruction: a person in a block too small to release can be added or removed and no query, and so no
    /// system of equations over totals and margins, changes.
    /// </summary>
    [Property(MaxTest = 150)]
    public bool GivenOnePersonInAWithheldBlock_ThenNoQueryAnswerDependsOnThem((byte, byte, byte)[] cells, byte day, byte from, byte length, byte grain, byte groups, byte filter)
    {
        // A combination used nowhere else: district 9, so the person's month holds exactly one event.
        var table = Table(cells);
        var withPerson = AnalyticsRig.Slices(Events(cells).Append((Start.AddDays(day % 61), "MH", "9", "75+", "M", 1)));
        var query = Query(from, length, grain, groups, filter);

        var before = Answer(table, query);
        var after = Answer(withPerson, query);

        return before.Total == after.Total && before.Rows.SequenceEqual(after.Rows, RowComparer.Instance);
    }

    /// <summary>Margins are sums of released rows: grouping by one more dimension never adds to or hides from the total.</summary>
    [Property(MaxTest = 200)]
    public bool GivenAQueryAndTheSameQueryByOneMoreDimension_ThenTheMarginsAddUpToTheTotal((byte, byte, byte)[] cells, byte from, byte length, byte grain, byte dimension, byte filter)
    {
        var table = Table(cells);
        var plain = Query(from, length, grain, 0, filter);
        var split = plain with { GroupBy = [Groupable[dimension % Groupable.Length]] };

        return Answer(table, plain).Total == Answer(table, split).Rows.Sum(r => r.Count);
    }

    private sealed class RowComparer : IEqualityComparer<AnalyticsRow>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(AnalyticsRow? x, AnalyticsRow? y) =>
            x!.Period == y!.Period && x.Grain == y.Grain && x.Count == y.Count && x.Dimensions.OrderBy(p => p.Key).SequenceEqual(y.Dimensions.OrderBy(p => p.Key));

        public int GetHashCode(AnalyticsRow obj) => obj.Period.GetHashCode(StringComparison.Ordinal);
    }
}
