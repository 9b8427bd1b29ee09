using Ndhm.Core.Ids;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Registry;
using Ndhm.Registry.Common;

namespace Ndhm.Infrastructure.Registry;

/// <summary>A registry document: one aggregate (or claim) in its own partition.</summary>
internal interface IRegistryDocument
{
    string Id { get; }

    string Pk { get; }
}

/// <summary>
/// The point operations every registry store does the same way: create-only writes, reads with the ETag, and
/// If-Match replaces, with Cosmos status codes mapped to what the domain expects.
/// </summary>
internal static class RegistryCosmos
{
    /// <summary>Create-only write: the new ETag, or null when a document with this id already exists.</summary>
    public static async Task<string?> TryCreateAsync<T>(Container container, T document, CancellationToken ct) where T : IRegistryDocument
    {
        try
        {
            return (await container.CreateItemAsync(document, new PartitionKey(document.Pk), cancellationToken: ct)).ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public static async Task<Versioned<T>?> TryReadAsync<T>(Container container, string id, string pk, CancellationToken ct)
    {
        try
        {
            var response = await container.ReadItemAsync<T>(DocumentIds.Ensure(id), new PartitionKey(DocumentIds.Ensure(pk)), cancellationToken: ct);
            return new Versioned<T>(response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Replaces the document if <paramref name="ifMatch"/> is still its ETag; else CONCURRENT_UPDATE (412).</summary>
    public static async Task<string> ReplaceAsync<T>(Container container, T document, string ifMatch, Func<DomainException> notFound,
        CancellationToken ct) where T : IRegistryDocument
    {
        try
        {
            var response = await container.ReplaceItemAsync(document, document.Id, new PartitionKey(document.Pk),
                new ItemRequestOptions { IfMatchEtag = ifMatch }, ct);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw RegistryErrors.ConcurrentUpdate();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw notFound();
        }
    }

    /// <summary>The enum's stored form (camelCase string, as NdhmJson writes it).</summary>
    public static string EnumValue(Enum value) =>
        JsonSerializer.Serialize(value, value.GetType(), NdhmJson.Options).Trim('"');
}

/// <summary>
/// A registry search over one document type: each filter is a parameterised clause, results are keyset-paged by id
/// (<c>ORDER BY c.id</c>, ids after the cursor), so the domain's in-code refinements page correctly.
/// </summary>
internal sealed class RegistrySearch(string docType)
{
    private readonly StringBuilder where = new();
    private readonly Dictionary<string, object> parameters = new() { ["@docType"] = docType };

    /// <summary>Adds <paramref name="clause"/> with its parameter when <paramref name="value"/> is given; enums are compared in their stored form.</summary>
    public RegistrySearch Where(string clause, string parameter, object? value)
    {
        if (value is not null)
        {
            where.Append(" AND ").Append(clause);
            parameters[parameter] = value is Enum e ? RegistryCosmos.EnumValue(e) : value;
        }

        return this;
    }

    /// <summary>
    /// Filters on whether <paramref name="deactivationPath"/> is present. Nulls are not written, so an active entry
    /// (and any document older than deactivation) has no such property at all.
    /// </summary>
    public RegistrySearch WhereStatus(string deactivationPath, StatusFilter status)
    {
        if (status != StatusFilter.All)
        {
            where.Append(" AND ").Append(status == StatusFilter.Active ? "NOT " : "").Append("IS_DEFINED(").Append(deactivationPath).Append(')');
        }

        return this;
    }

    public async Task<List<T>> RunAsync<T>(Container container, string? afterId, int take, CancellationToken ct)
    {
        Where("c.id > @after", "@after", afterId);
        var sql = $"SELECT TOP {take.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.docType = @docType{where} ORDER BY c.id";
        var definition = new QueryDefinition(sql);
        foreach (var (name, value) in parameters)
        {
            definition = definition.WithParameter(name, value);
        }

        var results = new List<T>(take);
        using var iterator = container.GetItemQueryIterator<T>(definition, requestOptions: new QueryRequestOptions { MaxItemCount = take });
        while (iterator.HasMoreResults && results.Count < take)
        {
            results.AddRange(await iterator.ReadNextAsync(ct));
        }

        return results.Count > take ? results[..take] : results;
    }
}
