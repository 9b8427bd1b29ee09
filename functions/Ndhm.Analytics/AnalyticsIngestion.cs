using Ndhm.Core.Errors;

namespace Ndhm.Analytics;

/// <param name="Events">Events read from the feed.</param>
/// <param name="Writes">Aggregate documents written (at most one per event; one per touched slice per page).</param>
public sealed record IngestionResult(int Events, int Writes);

/// <summary>
/// Keeps the aggregates current from the facts' change feed: each page is grouped by slice and each touched slice is
/// read once and written once (If-Match), then the range's checkpoint moves. A crash between the writes and the
/// checkpoint redelivers the page; the slices' watermarks make that a no-op for what was already written.
/// </summary>
public sealed class AnalyticsIngestion(IAnalyticsFactFeed feed, IAggregateSliceStore store, AnalyticsDefinitions definitions)
{
    public const int PageSize = 1000;
    private const int MaxAttempts = 8;

    /// <summary>Reads every range until caught up (or <paramref name="maxPages"/> pages per range).</summary>
    public async Task<IngestionResult> RunAsync(int maxPages, CancellationToken ct)
    {
        var total = new IngestionResult(0, 0);
        foreach (var range in await feed.RangesAsync(ct))
        {
            for (var pages = 0; pages < maxPages; pages++)
            {
                var page = await feed.ReadAsync(range, PageSize, ct);
                var applied = await ApplyAsync(page, ct);
                await feed.CheckpointAsync(page, ct);
                total = new IngestionResult(total.Events + applied.Events, total.Writes + applied.Writes);
                if (page.CaughtUp)
                {
                    break;
                }
            }
        }

        return total;
    }

    /// <summary>Folds one page into the aggregates: one write per slice the page changes, none for a redelivered page.</summary>
    public async Task<IngestionResult> ApplyAsync(FactPage page, CancellationToken ct)
    {
        var bySlice = page.Items
            .Select(i => (i.Position, Fact: i.Fact.Normalise(definitions)))
            .Where(i => i.Fact is not null)
            .GroupBy(i => i.Fact!.Slice);
        var writes = 0;
        foreach (var group in bySlice)
        {
            var ordered = group.OrderBy(i => i.Position).ToList();
            for (var attempt = 0; ; attempt++)
            {
                var current = await store.ReadAsync(group.Key, ct);
                var slice = current?.Value ?? AggregateSlice.Empty(group.Key);
                var changed = false;
                foreach (var (position, fact) in ordered)
                {
                    changed |= slice.Apply(page.Range, position, fact!);
                }

                if (!changed)
                {
                    break;
                }

                writes++;
                if (await store.TryWriteAsync(slice, current?.ETag, ct))
                {
                    break;
                }

                if (attempt == MaxAttempts)
                {
                    throw new DomainException(ErrorKind.DependencyUnavailable, "ANALYTICS_CONTENDED", "The aggregates are busy.",
                        "Another writer kept changing the same aggregate; the page will be retried.");
                }
            }
        }

        return new IngestionResult(page.Items.Count, writes);
    }
}
