namespace Ndhm.Analytics;

/// <summary>A cell's count and the sum of its events' values (for the measure's mean).</summary>
public sealed class AggregateCell
{
    public long Count { get; set; }

    public double Sum { get; set; }
}

/// <summary>
/// A measure's cells for one day in one district, with the events per facility (for the small-facility rule) and,
/// per change-feed range, the position of the last event folded in: the change feed delivers a range's events in
/// that order, so an event at or before the watermark was already counted and a redelivered page changes nothing.
/// </summary>
public sealed class AggregateSlice
{
    public required string Measure { get; init; }

    public required DateOnly Day { get; init; }

    public required string State { get; init; }

    public required string District { get; init; }

    public Dictionary<string, AggregateCell> Cells { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Facilities { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Watermarks { get; init; } = new(StringComparer.Ordinal);

    public SliceKey Key => new(Measure, Day, State, District);

    public static AggregateSlice Empty(SliceKey key) => new() { Measure = key.Measure, Day = key.Day, State = key.State, District = key.District };

    /// <summary>Folds the event in unless this range's watermark shows it already was; true when it changed the slice.</summary>
    public bool Apply(string range, long position, NormalisedFact fact)
    {
        if (Watermarks.TryGetValue(range, out var applied) && position <= applied)
        {
            return false;
        }

        Watermarks[range] = position;
        if (!Cells.TryGetValue(fact.Cell, out var cell))
        {
            Cells[fact.Cell] = cell = new AggregateCell();
        }

        cell.Count++;
        cell.Sum += fact.Value;
        if (fact.Facility is not null)
        {
            Facilities[fact.Facility] = Facilities.GetValueOrDefault(fact.Facility) + 1;
        }

        return true;
    }
}
