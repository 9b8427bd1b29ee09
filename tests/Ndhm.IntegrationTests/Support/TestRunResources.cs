using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// Removes what the test run created in the shared emulators (see <see cref="TestRun"/>), and what earlier runs
/// that crashed before their own clean-up left behind (named by a run that started more than
/// <see cref="TestRun.StaleAfter"/> ago). Called once at the end of the run by <see cref="TestRunFramework"/>.
/// </summary>
public static class TestRunResources
{
    /// <summary>The Functions host keeps timer schedule status here, under <c>timers/&lt;host id&gt;/</c>.</summary>
    public const string TimerStatusContainer = "azure-webjobs-hosts";

    private static int used;

    /// <summary>Marks that the run used the shared emulators (a run of emulator-free tests has nothing to remove).</summary>
    public static void Used() => Interlocked.Exchange(ref used, 1);

    public static bool WereUsed => Volatile.Read(ref used) == 1;

    /// <returns>What was removed, one line each.</returns>
    public static async Task<IReadOnlyList<string>> RemoveAsync(bool timerStatusContainerExistedBefore, CancellationToken ct)
    {
        var removed = new List<string>();
        var now = DateTime.UtcNow;
        var queues = new QueueServiceClient(SandboxEndpoints.StorageConnectionString);

        using (var cosmos = CosmosClientFactory.Create(SandboxCosmos.Settings))
        {
            foreach (var database in await DatabasesAsync(cosmos, ct))
            {
                if (!TestRun.IsOursOrStale(database, now)) continue;
                // Registration gave each of the run's partners an event queue named after it.
                foreach (var partnerId in await PartnerIdsAsync(cosmos.GetDatabase(database), ct))
                {
                    if ((await queues.GetQueueClient(PartnerStreamNames.Queue(partnerId)).DeleteIfExistsAsync(ct)).Value)
                        removed.Add($"queue {PartnerStreamNames.Queue(partnerId)} (partner {partnerId} of {database})");
                }

                await cosmos.GetDatabase(database).DeleteStreamAsync(cancellationToken: ct);
                removed.Add($"cosmos database {database}");
            }
        }

        await foreach (var queue in queues.GetQueuesAsync(prefix: "test", cancellationToken: ct))
        {
            if (!TestRun.IsOursOrStale(queue.Name, now)) continue;
            await queues.DeleteQueueAsync(queue.Name, ct);
            removed.Add($"queue {queue.Name}");
        }

        var blobs = new BlobServiceClient(SandboxEndpoints.StorageConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: "test", cancellationToken: ct))
        {
            if (!TestRun.IsOursOrStale(container.Name, now)) continue;
            await DeleteContainerAsync(blobs.GetBlobContainerClient(container.Name), ct);
            removed.Add($"blob container {container.Name}");
        }

        var timers = blobs.GetBlobContainerClient(TimerStatusContainer);
        if ((await timers.ExistsAsync(ct)).Value)
        {
            await foreach (var blob in timers.GetBlobsAsync(BlobTraits.None, BlobStates.None, "timers/test", ct))
            {
                if (!TestRun.IsOursOrStale(blob.Name.Split('/')[1], now)) continue;
                await timers.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: ct);
                removed.Add($"blob {TimerStatusContainer}/{blob.Name}");
            }

            // Test hosts created the container when the developer's sandbox had none: nothing else has used it since.
            if (!timerStatusContainerExistedBefore && !await timers.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct).GetAsyncEnumerator(ct).MoveNextAsync())
            {
                await timers.DeleteIfExistsAsync(cancellationToken: ct);
                removed.Add($"blob container {TimerStatusContainer} (created by this run, now empty)");
            }
        }

        var tables = new TableServiceClient(SandboxEndpoints.StorageConnectionString);
        await foreach (var table in tables.QueryAsync(cancellationToken: ct))
        {
            if (!TestRun.IsOursOrStale(table.Name, now)) continue;
            await tables.DeleteTableAsync(table.Name, ct);
            removed.Add($"table {table.Name}");
        }

        return removed;
    }

    // A task hub's lease containers may still be leased by a host that was killed (tests kill hosts on purpose).
    private static async Task DeleteContainerAsync(BlobContainerClient container, CancellationToken ct)
    {
        try
        {
            await container.DeleteIfExistsAsync(cancellationToken: ct);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 412)
        {
            await container.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero, cancellationToken: ct);
            await container.DeleteIfExistsAsync(cancellationToken: ct);
        }
    }

    public static async Task<List<string>> DatabasesAsync(CosmosClient cosmos, CancellationToken ct)
    {
        var names = new List<string>();
        using var feed = cosmos.GetDatabaseQueryIterator<DatabaseProperties>();
        while (feed.HasMoreResults)
        {
            names.AddRange((await feed.ReadNextAsync(ct)).Select(d => d.Id));
        }

        return names;
    }

    private static async Task<List<string>> PartnerIdsAsync(Database database, CancellationToken ct)
    {
        const string prefix = "partner:";
        var ids = new List<string>();
        try
        {
            using var feed = database.GetContainer(CosmosContainers.Registry.Name).GetItemQueryIterator<string>("SELECT VALUE c.id FROM c");
            while (feed.HasMoreResults)
            {
                ids.AddRange((await feed.ReadNextAsync(ct)).Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Select(id => id[prefix.Length..]));
            }
        }
        catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // A database without a registry container registered no partners.
        }

        return ids;
    }
}
