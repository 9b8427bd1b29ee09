using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Analytics;
using Ndhm.Core.Concurrency;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>Facts go to the <c>analytics-facts</c> outbox, create-only: a retried operation's fact is stored once.</summary>
public sealed class CosmosAnalyticsFacts(CosmosClient client, CosmosSettings settings) : IAnalyticsFacts
{
    private Container Facts => client.GetContainer(settings.Database, CosmosContainers.AnalyticsFacts.Name);

    public async Task RecordAsync(AnalyticsFact fact, CancellationToken ct)
    {
        var document = FactDocument.From(fact);
        await CosmosDocuments.TryCreateAsync(Facts, document, document.Pk, ct);
    }
}

/// <summary>
/// The outbox's change feed, one iterator per feed range (a physical partition), each resuming from its checkpoint in
/// the <c>analytics</c> container. Items carry their <c>_lsn</c>, which increases within a range: the slices'
/// watermarks are kept per range id (a hash of the range).
/// </summary>
public sealed class CosmosAnalyticsFactFeed(CosmosClient client, CosmosSettings settings) : IAnalyticsFactFeed
{
    private readonly Dictionary<string, FeedRange> ranges = new(StringComparer.Ordinal);

    private Container Facts => client.GetContainer(settings.Database, CosmosContainers.AnalyticsFacts.Name);

    private Container Aggregates => client.GetContainer(settings.Database, CosmosContainers.Analytics.Name);

    public async Task<IReadOnlyList<string>> RangesAsync(CancellationToken ct)
    {
        var current = await Facts.GetFeedRangesAsync(ct);
        lock (ranges)
        {
            ranges.Clear();
            foreach (var range in current)
            {
                ranges["r" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(range.ToJsonString())))[..12]] = range;
            }

            return ranges.Keys.Order(StringComparer.Ordinal).ToList();
        }
    }

    public async Task<FactPage> ReadAsync(string range, int maxItems, CancellationToken ct)
    {
        FeedRange feedRange;
        lock (ranges)
        {
            feedRange = ranges[range];
        }

        var checkpoint = await CosmosDocuments.FindAsync<FeedCheckpointDocument>(Aggregates, CheckpointId(range), CheckpointId(range), ct);
        var start = checkpoint?.Continuation is { } token
            ? ChangeFeedStartFrom.ContinuationToken(token)
            : ChangeFeedStartFrom.Beginning(feedRange);
        using var iterator = Facts.GetChangeFeedIterator<FactDocument>(start, ChangeFeedMode.LatestVersion,
            new ChangeFeedRequestOptions { PageSizeHint = maxItems });
        var page = await iterator.ReadNextAsync(ct);
        if (page.StatusCode == HttpStatusCode.NotModified)
        {
            return new FactPage(range, [], page.ContinuationToken, CaughtUp: true);
        }

        return new FactPage(range, page.Select(d => (d.Lsn, d.ToFact())).ToList(), page.ContinuationToken, CaughtUp: page.Count == 0);
    }

    public async Task CheckpointAsync(FactPage page, CancellationToken ct)
    {
        var id = CheckpointId(page.Range);
        var document = new FeedCheckpointDocument(id, id, "feedCheckpoint", page.Range, page.Continuation, DateTimeOffset.UtcNow);
        await Aggregates.UpsertItemAsync(document, new PartitionKey(id), CosmosDocuments.NoContent, ct);
    }

    private static string CheckpointId(string range) => "feed-checkpoint." + range;
}

/// <summary>Aggregate slices in the <c>analytics</c> container, one partition per measure and month.</summary>
public sealed class CosmosAggregateSliceStore(CosmosClient client, CosmosSettings settings) : IAggregateSliceStore
{
    private Container Aggregates => client.GetContainer(settings.Database, CosmosContainers.Analytics.Name);

    public async Task<Versioned<AggregateSlice>?> ReadAsync(SliceKey key, CancellationToken ct) =>
        await CosmosDocuments.TryReadAsync<SliceDocument>(Aggregates, key.Id, key.PartitionKey, ct) is { } read
            ? new Versioned<AggregateSlice>(read.Document.ToSlice(), read.ETag)
            : null;

    public async Task<bool> TryWriteAsync(AggregateSlice slice, string? ifMatch, CancellationToken ct)
    {
        var document = SliceDocument.From(slice);
        if (ifMatch is null)
        {
            return await CosmosDocuments.TryCreateAsync(Aggregates, document, document.Pk, ct) is not null;
        }

        var (etag, _) = await CosmosDocuments.TryReplaceAsync(Aggregates, document, document.Id, document.Pk, ifMatch, ct);
        return etag is not null;
    }

    public async Task<IReadOnlyList<AggregateSlice>> ReadMonthAsync(string measure, int year, int month, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.docType = @type").WithParameter("@type", SliceDocument.Type);
        var documents = await CosmosDocuments.QueryAsync<SliceDocument>(Aggregates, query, null, SliceKey.MonthPartition(measure, year, month), ct);
        return documents.Select(d => d.ToSlice()).ToList();
    }
}

/// <summary>
/// Demographic codes per person in the <c>analytics</c> container (<c>person:&lt;key&gt;</c>, its own partition), beside
/// the slices and read only by point reads: the slices' query filters on its own document type.
/// </summary>
public sealed class CosmosAnalyticsPersons(CosmosClient client, CosmosSettings settings) : IAnalyticsPersons
{
    private Container Aggregates => client.GetContainer(settings.Database, CosmosContainers.Analytics.Name);

    public async Task RememberAsync(string personKey, PersonCodes codes, CancellationToken ct)
    {
        // Every write of an account passes here, most of them changing nothing analytics counts: one read, and a write
        // only when the codes changed (a profile change: the newest codes count from now on).
        var document = PersonDocument.From(personKey, codes);
        var known = await CosmosDocuments.FindAsync<PersonDocument>(Aggregates, document.Id, document.Pk, ct);
        if (known == document) return;
        if (known is not null || await CosmosDocuments.TryCreateAsync(Aggregates, document, document.Pk, ct) is null)
            await CosmosDocuments.TryReplaceAsync(Aggregates, document, document.Id, document.Pk, ifMatch: null, ct);
    }

    public async Task<PersonCodes?> FindAsync(string personKey, CancellationToken ct)
    {
        var id = PersonDocument.IdOf(personKey);
        return (await CosmosDocuments.FindAsync<PersonDocument>(Aggregates, id, id, ct))?.ToCodes();
    }

    public Task ForgetAsync(string personKey, CancellationToken ct)
    {
        var id = PersonDocument.IdOf(personKey);
        return CosmosDocuments.TryDeleteAsync(Aggregates, id, id, ifMatch: null, ct);
    }
}

internal sealed record PersonDocument(string Id, string Pk, string DocType, string? State, string? District, int? BirthYear, int? BirthMonth,
    string? Gender)
{
    public const string Type = "person-codes";

    public static string IdOf(string personKey) => "person:" + personKey;

    public static PersonDocument From(string personKey, PersonCodes codes) =>
        new(IdOf(personKey), IdOf(personKey), Type, codes.State, codes.District, codes.BirthYear, codes.BirthMonth, codes.Gender);

    public PersonCodes ToCodes() => new(State, District, BirthYear, BirthMonth, Gender);
}
