using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// What the developer's sandbox holds in the emulators the tests share with it: its Cosmos database's documents
/// (id and ETag per container), the other databases, and the Azurite queues (with message counts), blob
/// containers (blob names and ETags) and tables. Taken before the run and after its clean-up; any difference
/// means a test wrote into the developer's data. Left out, because they are provably someone else's: resources
/// named by a test run (<see cref="TestRun"/>, this or a concurrent one), and the developer's own host's
/// background state (its task hub <see cref="DeveloperTaskHub"/>, its timer status under
/// <see cref="DeveloperHostId"/>, and the message count of the callback queue it consumes). Documents that are
/// gone because their TTL ran out are not a difference.
/// </summary>
public sealed record SandboxSnapshot(IReadOnlyDictionary<string, string> Entries, IReadOnlyDictionary<string, DateTime> Expiries)
{
    /// <summary>The sandbox's database, task hub, timer host id and callback queue (local.settings.json, host.json).</summary>
    public const string DeveloperDatabase = "ndhm";
    public const string DeveloperTaskHub = "NdhmHub";
    public const string DeveloperHostId = "ndhm-localhost";
    public const string DeveloperCallbackQueue = "gateway-callbacks";

    public static async Task<SandboxSnapshot> TakeAsync(CancellationToken ct)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var expiries = new Dictionary<string, DateTime>(StringComparer.Ordinal);

        using (var cosmos = CosmosClientFactory.Create(SandboxCosmos.Settings))
        {
            foreach (var database in await TestRunResources.DatabasesAsync(cosmos, ct))
            {
                if (TestRun.StartOf(database) is not null) continue;
                entries[$"cosmos database {database}"] = "";
                if (database == DeveloperDatabase) await AddDocumentsAsync(cosmos.GetDatabase(database), entries, expiries, ct);
            }
        }

        var queues = new QueueServiceClient(SandboxEndpoints.StorageConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(cancellationToken: ct))
        {
            if (!IsTheDevelopers(queue.Name)) continue;
            entries[$"queue {queue.Name}"] = queue.Name.StartsWith(DeveloperCallbackQueue, StringComparison.Ordinal)
                ? ""
                : (await queues.GetQueueClient(queue.Name).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount + " messages";
        }

        var blobs = new BlobServiceClient(SandboxEndpoints.StorageConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(cancellationToken: ct))
        {
            if (!IsTheDevelopers(container.Name)) continue;
            entries[$"blob container {container.Name}"] = "";
            await foreach (var blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
            {
                var timerHost = container.Name == TestRunResources.TimerStatusContainer && blob.Name.StartsWith("timers/", StringComparison.Ordinal)
                    ? blob.Name.Split('/')[1]
                    : null;
                if (timerHost == DeveloperHostId || (timerHost is not null && TestRun.StartOf(timerHost) is not null)) continue;
                entries[$"blob {container.Name}/{blob.Name}"] = blob.Properties.ETag?.ToString() ?? "";
            }
        }

        var tables = new TableServiceClient(SandboxEndpoints.StorageConnectionString);
        await foreach (var table in tables.QueryAsync(cancellationToken: ct))
        {
            if (IsTheDevelopers(table.Name)) entries[$"table {table.Name}"] = "";
        }

        return new SandboxSnapshot(entries, expiries);
    }

    /// <summary>What changed since <paramref name="before"/>, one line each; empty when nothing did.</summary>
    public IReadOnlyList<string> ChangesSince(SandboxSnapshot before, DateTime utcNow)
    {
        var changes = new List<string>();
        foreach (var (key, value) in before.Entries)
        {
            if (!Entries.TryGetValue(key, out var now))
            {
                if (!(before.Expiries.TryGetValue(key, out var expiry) && expiry <= utcNow)) changes.Add($"removed: {key}");
            }
            else if (now != value)
            {
                changes.Add($"changed: {key} ({value} -> {now})");
            }
        }

        changes.AddRange(Entries.Keys.Where(k => !before.Entries.ContainsKey(k)).Select(k => $"added: {k}"));
        return changes;
    }

    private static bool IsTheDevelopers(string name) =>
        TestRun.StartOf(name) is null && !name.StartsWith(DeveloperTaskHub, StringComparison.OrdinalIgnoreCase);

    private static async Task AddDocumentsAsync(Database database, IDictionary<string, string> entries, IDictionary<string, DateTime> expiries, CancellationToken ct)
    {
        using var containers = database.GetContainerQueryIterator<ContainerProperties>();
        while (containers.HasMoreResults)
        {
            foreach (var properties in await containers.ReadNextAsync(ct))
            {
                entries[$"cosmos container {database.Id}/{properties.Id}"] = properties.DefaultTimeToLive?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
                using var feed = database.GetContainer(properties.Id).GetItemQueryStreamIterator("SELECT * FROM c");
                while (feed.HasMoreResults)
                {
                    using var page = await feed.ReadNextAsync(ct);
                    page.EnsureSuccessStatusCode();
                    using var json = await JsonDocument.ParseAsync(page.Content, cancellationToken: ct);
                    foreach (var doc in json.RootElement.GetProperty("Documents").EnumerateArray())
                    {
                        var key = $"cosmos document {database.Id}/{properties.Id}/{doc.GetProperty("id").GetString()}";
                        entries[key] = doc.TryGetProperty("_etag", out var etag) ? etag.ToString() : "";
                        if (ExpiresAt(doc, properties.DefaultTimeToLive) is { } at) expiries[key] = at;
                    }
                }
            }
        }
    }

    // Cosmos TTL: none without a container default; else the item's own ttl, else the container's (-1: never).
    private static DateTime? ExpiresAt(JsonElement doc, int? containerTtl)
    {
        if (containerTtl is null || !doc.TryGetProperty("_ts", out var ts)) return null;
        var ttl = doc.TryGetProperty("ttl", out var own) && own.ValueKind == JsonValueKind.Number ? own.GetInt32() : containerTtl.Value;
        return ttl > 0 ? DateTimeOffset.FromUnixTimeSeconds(ts.GetInt64()).UtcDateTime.AddSeconds(ttl) : null;
    }
}
