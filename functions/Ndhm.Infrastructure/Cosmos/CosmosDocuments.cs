using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Ids;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>
/// The one way adapters do Cosmos point operations and queries: reads with the ETag (null when absent), create-only
/// writes, If-Match replaces and deletes, and a query drained up to a limit. Status codes become what the caller
/// says (null, false, or the caller's own <see cref="DomainException"/>); anything else propagates, for
/// <c>DependencyFailures</c> to classify. Writes ask for no content back: only the new ETag is used. Every id and
/// partition key passes <see cref="DocumentIds"/> first, so no path can send Cosmos an id it would misread.
/// </summary>
internal static class CosmosDocuments
{
    public static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };

    /// <summary>The document and its ETag, or null when there is none.</summary>
    public static async Task<(T Document, string ETag)?> TryReadAsync<T>(Container container, string id, string partitionKey, CancellationToken ct)
    {
        try
        {
            var response = await container.ReadItemAsync<T>(DocumentIds.Ensure(id), Key(partitionKey), cancellationToken: ct).ConfigureAwait(false);
            return (response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The document, or null when there is none.</summary>
    public static async Task<T?> FindAsync<T>(Container container, string id, string partitionKey, CancellationToken ct)
        where T : class =>
        await TryReadAsync<T>(container, id, partitionKey, ct).ConfigureAwait(false) is { } read ? read.Document : null;

    /// <summary>Create-only write: the new ETag, or null when a document with this id already exists.</summary>
    public static async Task<string?> TryCreateAsync<T>(Container container, T document, string partitionKey, CancellationToken ct)
    {
        try
        {
            return (await container.CreateItemAsync(document, Key(partitionKey), NoContent, ct).ConfigureAwait(false)).ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    /// <summary>Create-only write: the new ETag, or <paramref name="exists"/> when a document with this id already exists.</summary>
    public static async Task<string> CreateAsync<T>(Container container, T document, string partitionKey, Func<DomainException> exists,
        CancellationToken ct) =>
        await TryCreateAsync(container, document, partitionKey, ct).ConfigureAwait(false) ?? throw exists();

    /// <summary>
    /// Replaces the document if its ETag is still <paramref name="ifMatch"/> (null: unconditionally); the new ETag.
    /// Throws <paramref name="changed"/> when it changed meanwhile and <paramref name="missing"/> when it is gone.
    /// </summary>
    public static async Task<string> ReplaceAsync<T>(Container container, T document, string id, string partitionKey, string? ifMatch,
        Func<DomainException> changed, Func<DomainException> missing, CancellationToken ct)
    {
        var (etag, status) = await TryReplaceAsync(container, document, id, partitionKey, ifMatch, ct).ConfigureAwait(false);
        return etag ?? throw (status == HttpStatusCode.NotFound ? missing() : changed());
    }

    /// <summary>
    /// Replaces the document if its ETag is still <paramref name="ifMatch"/> (null: unconditionally): the new ETag, or
    /// none and why (<see cref="HttpStatusCode.PreconditionFailed"/>: it changed; <see cref="HttpStatusCode.NotFound"/>: it is gone).
    /// </summary>
    public static async Task<(string? ETag, HttpStatusCode Status)> TryReplaceAsync<T>(Container container, T document, string id,
        string partitionKey, string? ifMatch, CancellationToken ct)
    {
        try
        {
            var response = await container.ReplaceItemAsync(document, DocumentIds.Ensure(id), Key(partitionKey),
                new ItemRequestOptions { IfMatchEtag = ifMatch, EnableContentResponseOnWrite = false }, ct).ConfigureAwait(false);
            return (response.ETag, response.StatusCode);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return (null, e.StatusCode);
        }
    }

    /// <summary>Deletes the document if its ETag is still <paramref name="ifMatch"/> (null: whatever it is); false when it was gone or changed.</summary>
    public static async Task<bool> TryDeleteAsync(Container container, string id, string partitionKey, string? ifMatch, CancellationToken ct)
    {
        try
        {
            await container.DeleteItemAsync<object>(DocumentIds.Ensure(id), Key(partitionKey), new ItemRequestOptions { IfMatchEtag = ifMatch }, ct)
                .ConfigureAwait(false);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="query"/> and reads its pages until <paramref name="max"/> results (all, when null); within one
    /// partition when <paramref name="partitionKey"/> is given.
    /// </summary>
    public static async Task<List<T>> QueryAsync<T>(Container container, QueryDefinition query, int? max, string? partitionKey,
        CancellationToken ct)
    {
        var options = new QueryRequestOptions { MaxItemCount = max };
        if (partitionKey is not null) options.PartitionKey = Key(partitionKey);
        var results = new List<T>();
        using var feed = container.GetItemQueryIterator<T>(query, requestOptions: options);
        while (feed.HasMoreResults && (max is null || results.Count < max))
        {
            results.AddRange(await feed.ReadNextAsync(ct).ConfigureAwait(false));
        }

        return max is { } limit && results.Count > limit ? results[..limit] : results;
    }

    private static PartitionKey Key(string partitionKey) => new(DocumentIds.Ensure(partitionKey, "partition key"));
}
