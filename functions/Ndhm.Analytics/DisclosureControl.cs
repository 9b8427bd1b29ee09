namespace Ndhm.Analytics;

/// <summary>
/// A block of events that is released whole or not at all: one combination of every dimension (state, district and
/// the cell's dimensions) over one day, week or month, holding at least the threshold number of events.
/// </summary>
public sealed record ReleasedUnit(Period Period, string State, string District, string Cell, long Count, double Sum);

/// <summary>
/// Small-cell control that holds whatever queries are combined. Each month's events are partitioned, once and
/// independently of any query, into blocks of the finest combination of all dimensions: a day whose cell holds at
/// least <c>threshold</c> events is a block; the remaining small days of a week are pooled and form a week block if
/// the pool reaches the threshold; what is still left is pooled over the month and forms a month block if that
/// reaches it; anything still smaller is withheld for good. Every number a query returns is a sum of whole blocks
/// (only blocks whose period lies inside the query's range, only whole blocks matching the filters), so:
/// <list type="bullet">
/// <item>no released number, total or margin includes a withheld event: the complement of a suppressed cell is never
/// published, so totals and margins cannot reveal it (complementary suppression by construction);</item>
/// <item>the difference of two queries, however they overlap, is a signed sum of blocks of at least threshold events
/// each, never a count that isolates fewer than threshold events (differencing);</item>
/// <item>a block too small at day level is released at week or month level instead (date coarsening).</item>
/// </list>
/// </summary>
public static class DisclosureControl
{
    public const int DefaultThreshold = 10;

    /// <summary>The released blocks of one month's slices (all slices of the month, whatever a query asks).</summary>
    public static IReadOnlyList<ReleasedUnit> Units(IEnumerable<AggregateSlice> monthSlices, int threshold)
    {
        var byCombination = new Dictionary<(string State, string District, string Cell), List<(DateOnly Day, AggregateCell Cell)>>();
        foreach (var slice in monthSlices)
        {
            foreach (var (cellKey, cell) in slice.Cells)
            {
                if (cell.Count <= 0) continue;
                var key = (slice.State, slice.District, cellKey);
                if (!byCombination.TryGetValue(key, out var days)) byCombination[key] = days = [];
                days.Add((slice.Day, cell));
            }
        }

        var units = new List<ReleasedUnit>();
        foreach (var ((state, district, cellKey), days) in byCombination)
        {
            var weeks = new SortedDictionary<DateOnly, (long Count, double Sum)>();
            foreach (var (day, cell) in days.OrderBy(d => d.Day))
            {
                if (cell.Count >= threshold)
                {
                    units.Add(new ReleasedUnit(Period.DayOf(day), state, district, cellKey, cell.Count, cell.Sum));
                    continue;
                }

                var week = Period.WeekOf(day).Start;
                var pooled = weeks.GetValueOrDefault(week);
                weeks[week] = (pooled.Count + cell.Count, pooled.Sum + cell.Sum);
            }

            (long Count, double Sum) month = (0, 0);
            DateOnly? monthDay = null;
            foreach (var (weekStart, pool) in weeks)
            {
                if (pool.Count >= threshold)
                {
                    units.Add(new ReleasedUnit(Period.WeekOf(weekStart), state, district, cellKey, pool.Count, pool.Sum));
                    continue;
                }

                month = (month.Count + pool.Count, month.Sum + pool.Sum);
                monthDay = weekStart;
            }

            if (monthDay is { } any && month.Count >= threshold)
            {
                units.Add(new ReleasedUnit(Period.MonthOf(any), state, district, cellKey, month.Count, month.Sum));
            }
        }

        return units;
    }
}
