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

    /// <summary>The raw document review of an ABHA (<c>document-review:{digits}</c> in the <c>document-reviews</c> partition).</summary>
    public static async Task<string> ReadDocumentReviewTextAsync(string abhaNumber)
    {
        var id = "document-review:" + abhaNumber.Replace("-", "", StringComparison.Ordinal);
        var container = SandboxCosmos.Client.GetContainer(Settings.Database, CosmosContainers.HealthIds.Name);
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey("document-reviews"));
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(response.Content);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Entries with <paramref name="action"/> on the patient's audit chain (<c>patient:{digits}</c>).</summary>
    public static async Task<int> CountAuditAsync(string abhaDigits, string action)
    {
        var container = SandboxCosmos.Client.GetContainer(Settings.Database, CosmosContainers.Audit.Name);
        using var feed = container.GetItemQueryIterator<int>(
            new QueryDefinition("SELECT VALUE COUNT(1) FROM c WHERE c.docType = 'auditEntry' AND c.entry.action = @action").WithParameter("@action", action),
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("patient:" + abhaDigits) });
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

    /// <summary>The requests that were queries (or the query plans the SDK asks for first): POSTs that read.</summary>
    public ConcurrentQueue<(string Method, string Uri)> Queries { get; } = new();

    public override Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var sent = (request.Method.Method, request.RequestUri?.OriginalString ?? "");
        Requests.Enqueue(sent);
        if (IsTrue(request.Headers["x-ms-documentdb-isquery"]) || IsTrue(request.Headers["x-ms-cosmos-is-query-plan-request"]))
            Queries.Enqueue(sent);
        return base.SendAsync(request, cancellationToken);
    }

    public void Reset()
    {
        Requests.Clear();
        Queries.Clear();
    }

    /// <summary>Creates in a container: POSTs to the collection that are not queries.</summary>
    public int Creates(string container) => For(container).Count(r => r.Method == "POST") - QueriesTo(container);

    public int QueriesTo(string container) => Queries.Count(r => r.Uri.Contains($"/colls/{container}/", StringComparison.Ordinal)
        || r.Uri.EndsWith($"/colls/{container}", StringComparison.Ordinal));

    private static bool IsTrue(string? header) => string.Equals(header, "true", StringComparison.OrdinalIgnoreCase);

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
