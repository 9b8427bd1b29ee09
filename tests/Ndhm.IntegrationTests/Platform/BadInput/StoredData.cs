using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform.BadInput;

/// <summary>
/// Every document (id and ETag) of every container of one Cosmos database, and every blob (name and ETag) of one blob
/// container: what a host that owns them stores, to compare before and after a run of requests.
/// </summary>
public sealed partial record StoredData(IReadOnlyDictionary<string, string> Entries)
{
    public static async Task<StoredData> TakeAsync(string database, string blobContainer, CancellationToken ct)
    {
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var cosmos = CosmosClientFactory.Create(SandboxCosmos.Settings))
        {
            var db = cosmos.GetDatabase(database);
            using var containers = db.GetContainerQueryIterator<ContainerProperties>();
            while (containers.HasMoreResults)
            {
                foreach (var properties in await containers.ReadNextAsync(ct))
                {
                    using var feed = db.GetContainer(properties.Id).GetItemQueryStreamIterator("SELECT * FROM c");
                    while (feed.HasMoreResults)
                    {
                        using var page = await feed.ReadNextAsync(ct);
                        page.EnsureSuccessStatusCode();
                        using var json = await JsonDocument.ParseAsync(page.Content, cancellationToken: ct);
                        foreach (var doc in json.RootElement.GetProperty("Documents").EnumerateArray())
                        {
                            var etag = doc.TryGetProperty("_etag", out var e) ? e.ToString() : "";
                            // An audit entry says what it records: an attempt that was refused is not data the request changed.
                            var what = doc.TryGetProperty("entry", out var entry) && entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("action", out var action)
                                ? $" ({action} {(entry.TryGetProperty("outcome", out var outcome) ? outcome.ToString() : "")})"
                                : "";
                            entries[$"document {properties.Id}/{doc.GetProperty("id").GetString()}{what}"] = etag;
                        }
                    }
                }
            }
        }

        var blobs = new BlobServiceClient(SandboxEndpoints.StorageConnectionString).GetBlobContainerClient(blobContainer);
        if (await blobs.ExistsAsync(ct))
        {
            await foreach (var blob in blobs.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
            {
                entries[$"blob {blobContainer}/{blob.Name}"] = blob.Properties.ETag?.ToString() ?? "";
            }
        }

        return new StoredData(entries);
    }

    /// <summary>
    /// What was added, removed or changed since <paramref name="before"/>, one line each, except what records the
    /// attempts themselves: abuse-limit counters (<c>rate-limits</c>: every request counts, refused ones too, or probing
    /// would be free) and audit entries of refused attempts (a partner's failed lookup is audited by design), which
    /// are returned apart.
    /// </summary>
    public (IReadOnlyList<string> Changes, IReadOnlyList<string> RecordedAttempts) ChangesSince(StoredData before)
    {
        var all = new List<string>();
        all.AddRange(before.Entries.Where(e => !Entries.ContainsKey(e.Key)).Select(e => "removed: " + e.Key));
        all.AddRange(before.Entries.Where(e => Entries.TryGetValue(e.Key, out var now) && now != e.Value).Select(e => "changed: " + e.Key));
        all.AddRange(Entries.Keys.Where(k => !before.Entries.ContainsKey(k)).Select(k => "added: " + k));
        // The analytics refresh timer records how far it read the change feed (its own progress, not data a request
        // wrote); it runs on its schedule whatever the requests were.
        all.RemoveAll(c => c.Contains(" document analytics/feed-checkpoint.", StringComparison.Ordinal));
        var attempts = all.Where(c => c.StartsWith("added: document rate-limits/", StringComparison.Ordinal) || RefusedAttemptAudit().IsMatch(c)).ToList();
        return (all.Except(attempts).ToList(), attempts);
    }

    // "added: document audit/<chain>:<seq> (<action> <outcome>)" whose outcome is a refusal code (a success records a status such as ACTIVE).
    [System.Text.RegularExpressions.GeneratedRegex(@"^added: document audit/\S+ \([a-z0-9._-]+ [A-Z0-9_]*(INVALID|NOT_FOUND|FORBIDDEN|REFUSED|DENIED)[A-Z0-9_]*\)$")]
    private static partial System.Text.RegularExpressions.Regex RefusedAttemptAudit();
}
