using Ndhm.Core.Concurrency;

namespace Ndhm.Analytics;

/// <summary>Where capabilities report de-identified facts (an outbox container whose change feed drives the aggregates).</summary>
public interface IAnalyticsFacts
{
    /// <summary>Stores the fact once: reporting the same fact id again is a no-op.</summary>
    Task RecordAsync(AnalyticsFact fact, CancellationToken ct);
}

/// <summary>A page of the facts' change feed for one range, in feed order, and the token to resume after it.</summary>
/// <param name="Items">Each fact with its position in the range (Cosmos <c>_lsn</c>), increasing.</param>
public sealed record FactPage(string Range, IReadOnlyList<(long Position, AnalyticsFact Fact)> Items, string? Continuation, bool CaughtUp);

/// <summary>The facts' change feed, read range by range from each range's checkpoint.</summary>
public interface IAnalyticsFactFeed
{
    Task<IReadOnlyList<string>> RangesAsync(CancellationToken ct);

    Task<FactPage> ReadAsync(string range, int maxItems, CancellationToken ct);

    /// <summary>Moves the range's checkpoint past the page (only after the page's aggregates are written).</summary>
    Task CheckpointAsync(FactPage page, CancellationToken ct);
}

/// <summary>The aggregate documents.</summary>
public interface IAggregateSliceStore
{
    Task<Versioned<AggregateSlice>?> ReadAsync(SliceKey key, CancellationToken ct);

    /// <summary>Create (ifMatch null) or If-Match replace; false when another writer got there first.</summary>
    Task<bool> TryWriteAsync(AggregateSlice slice, string? ifMatch, CancellationToken ct);

    /// <summary>Every slice of a measure's month (one partition).</summary>
    Task<IReadOnlyList<AggregateSlice>> ReadMonthAsync(string measure, int year, int month, CancellationToken ct);
}
