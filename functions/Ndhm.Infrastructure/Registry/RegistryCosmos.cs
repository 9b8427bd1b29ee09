using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Infrastructure.Cosmos;
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
/// The registry's conventions over <see cref="CosmosDocuments"/>: a document's own id and partition key, reads as
/// <see cref="Versioned{T}"/>, and the registry's CONCURRENT_UPDATE for a lost If-Match.
/// </summary>
internal static class RegistryCosmos
{
    /// <summary>Create-only write: the new ETag, or null when a document with this id already exists.</summary>
    public static Task<string?> TryCreateAsync<T>(Container container, T document, CancellationToken ct) where T : IRegistryDocument =>
        CosmosDocuments.TryCreateAsync(container, document, document.Pk, ct);

    public static async Task<Versioned<T>?> TryReadAsync<T>(Container container, string id, string pk, CancellationToken ct) =>
        await CosmosDocuments.TryReadAsync<T>(container, id, pk, ct) is { } read ? new Versioned<T>(read.Document, read.ETag) : null;

    /// <summary>Replaces the document if <paramref name="ifMatch"/> is still its ETag; else CONCURRENT_UPDATE (412).</summary>
    public static Task<string> ReplaceAsync<T>(Container container, T document, string ifMatch, Func<DomainException> notFound,
        CancellationToken ct) where T : IRegistryDocument =>
        CosmosDocuments.ReplaceAsync(container, document, document.Id, document.Pk, ifMatch, RegistryErrors.ConcurrentUpdate, notFound, ct);

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

        return await CosmosDocuments.QueryAsync<T>(container, definition, take, partitionKey: null, ct);
    }
}
