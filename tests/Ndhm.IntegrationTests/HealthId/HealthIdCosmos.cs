using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>Direct Cosmos access for assertions, with an optional request-counting handler.</summary>
public static class HealthIdCosmos
{
    public static CosmosSettings Settings => SandboxCosmos.Settings;

    /// <summary>A client built like the app's (CosmosClientFactory options) with <paramref name="handler"/> in its pipeline.</summary>
    public static CosmosClient CreateClient(RequestHandler handler)
    {
        var options = CosmosClientFactory.CreateOptions(Settings);
        options.CustomHandlers.Add(handler);
        return new CosmosClient(Settings.Endpoint.AbsoluteUri, Settings.Key, options);
    }

    public static async Task<JsonElement> ReadAccountAsync(string abhaNumber)
    {
        var id = abhaNumber.Replace("-", "", StringComparison.Ordinal);
        var container = SandboxCosmos.Client.GetContainer(Settings.Database, CosmosContainers.HealthIds.Name);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(id));
        response.EnsureSuccessStatusCode();
        return (await JsonDocument.ParseAsync(response.Content)).RootElement.Clone();
    }

    public static async Task<int> CountAuditAsync(string subject)
    {
        var container = SandboxCosmos.Client.GetContainer(Settings.Database, CosmosContainers.Audit.Name);
        using var feed = container.GetItemQueryIterator<int>(new QueryDefinition("SELECT VALUE COUNT(1) FROM c"),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("healthid:" + subject) });
        var total = 0;
        while (feed.HasMoreResults)
            foreach (var n in await feed.ReadNextAsync()) total += n;
        return total;
    }
}

/// <summary>Counts the requests a client sends, per container and method (reads vs writes).</summary>
public sealed class CountingHandler : RequestHandler
{
    public ConcurrentQueue<(string Method, string Uri)> Requests { get; } = new();

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.Method.Method, request.RequestUri?.OriginalString ?? ""));
        return base.SendAsync(request, cancellationToken);
    }

    public void Reset() => Requests.Clear();

    public int Count(string container, Func<string, bool> method) => For(container).Count(r => method(r.Method));

    /// <summary>
    /// The requests to one container: item reads and replaces go to <c>.../colls/{name}/docs/{id}</c>, but creates and
    /// queries to the collection itself, <c>.../colls/{name}</c>.
    /// </summary>
    public IReadOnlyList<(string Method, string Uri)> For(string container) =>
        Requests.Where(r => r.Uri.Contains($"/colls/{container}/", StringComparison.Ordinal)
            || r.Uri.EndsWith($"/colls/{container}", StringComparison.Ordinal)).ToList();

    public static bool IsWrite(string method) => method is "POST" or "PUT" or "DELETE" or "PATCH";
    public static bool IsRead(string method) => method == "GET";
}
