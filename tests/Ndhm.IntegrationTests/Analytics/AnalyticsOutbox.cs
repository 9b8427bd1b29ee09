using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Analytics;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Analytics;

/// <summary>
/// Reads what a flow reported, in the run's database: a fact in the <c>analytics-facts</c> outbox by the id its source
/// gives it (<see cref="AnalyticsFactIds"/>), and the aggregate slice once the host's change-feed timer has folded it
/// in. Facts of today cannot be read back through the query API: it never releases an open day (a range ending today
/// ends yesterday), so the flows' facts are checked where they are stored.
/// </summary>
internal static class AnalyticsOutbox
{
    private static Container Facts => SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.AnalyticsFacts.Name);

    /// <summary>The stored fact (its document: measure, day, dimensions, facilityId, value, <c>_lsn</c>), or null.</summary>
    public static async Task<JsonElement?> FindAsync(string factId)
    {
        try
        {
            var read = await Facts.ReadItemAsync<JsonElement>(factId, new PartitionKey(factId));
            return read.Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task<JsonElement> FactAsync(string factId) =>
        await FindAsync(factId) ?? throw new Xunit.Sdk.XunitException($"No fact {factId} in the outbox.");

    /// <summary>How many facts of <paramref name="measure"/> the outbox holds with these ids (each at most once: create-only).</summary>
    public static async Task<int> CountAsync(IEnumerable<string> factIds)
    {
        var count = 0;
        foreach (var id in factIds) count += await FindAsync(id) is null ? 0 : 1;
        return count;
    }

    /// <summary>Every fact of <paramref name="measure"/> naming <paramref name="facilityId"/>.</summary>
    public static async Task<IReadOnlyList<JsonElement>> OfFacilityAsync(string measure, string facilityId)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.measure = @measure AND c.facilityId = @facility")
            .WithParameter("@measure", measure).WithParameter("@facility", facilityId);
        var found = new List<JsonElement>();
        using var feed = Facts.GetItemQueryIterator<JsonElement>(query);
        while (feed.HasMoreResults) found.AddRange(await feed.ReadNextAsync());
        return found;
    }

    public static string Dimension(JsonElement fact, string name) =>
        fact.GetProperty("dimensions").TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    /// <summary>The slice holding <paramref name="fact"/> once its range's watermark has passed the fact's position.</summary>
    public static async Task<AggregateSlice> FoldedAsync(JsonElement fact, TimeSpan? within = null)
    {
        var normalised = ToFact(fact).Normalise(AnalyticsDefinitions.Default)!;
        var lsn = fact.GetProperty("_lsn").GetInt64();
        var store = new CosmosAggregateSliceStore(SandboxCosmos.Client, SandboxCosmos.Settings);
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(90));
        while (true)
        {
            var slice = (await store.ReadAsync(normalised.Slice, CancellationToken.None))?.Value;
            if (slice is not null && slice.Watermarks.Values.Any(w => w >= lsn)) return slice;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The refresh never folded fact {fact.GetProperty("id").GetString()} into {normalised.Slice.Id}.");
            await Task.Delay(1000);
        }
    }

    /// <summary>The cell key the aggregates file the fact under.</summary>
    public static string Cell(JsonElement fact) => ToFact(fact).Normalise(AnalyticsDefinitions.Default)!.Cell;

    private static AnalyticsFact ToFact(JsonElement fact) =>
        new(fact.GetProperty("id").GetString()!, fact.GetProperty("measure").GetString()!,
            DateOnly.ParseExact(fact.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            fact.GetProperty("dimensions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null),
            fact.TryGetProperty("facilityId", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null,
            fact.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null);
}
