using System.Globalization;
using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Keys;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Privacy;

/// <summary>A data key record in <c>data-keys</c>: id and partition key are the scope; no plaintext key material, ever.</summary>
internal sealed record DataKeyDocument(
    string Id,
    string Pk,
    string DocType,
    string KeyId,
    int Version,
    WrappedKey? Wrapped,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RewrappedAt,
    DateTimeOffset? ShreddedAt,
    [property: JsonPropertyName("_etag")] string? ETag = null)
{
    public const string Type = "dataKey";

    public static DataKeyDocument From(DataKeyRecord r) =>
        new(r.Scope.Value, r.Scope.Value, Type, r.KeyId, r.Version, r.Wrapped, r.CreatedAt, r.RewrappedAt, r.ShreddedAt);

    public Versioned<DataKeyRecord> ToRecord(string etag) =>
        DataKeyScope.TryParse(Id, out var scope)
            ? new Versioned<DataKeyRecord>(new DataKeyRecord(scope.Value, KeyId, Version, Wrapped, CreatedAt, RewrappedAt, ShreddedAt), etag)
            : throw new InvalidOperationException("A data key document's id is not a data key scope.");
}

public sealed class CosmosDataKeyStore(CosmosClient client, CosmosSettings settings) : IDataKeyStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.DataKeys.Name);

    public async Task<Versioned<DataKeyRecord>?> FindAsync(DataKeyScope scope, CancellationToken ct)
    {
        try
        {
            var response = await Container.ReadItemAsync<DataKeyDocument>(scope.Value, new PartitionKey(scope.Value), cancellationToken: ct);
            return response.Resource.ToRecord(response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Versioned<DataKeyRecord>?> TryCreateAsync(DataKeyRecord record, CancellationToken ct)
    {
        try
        {
            var document = DataKeyDocument.From(record);
            var response = await Container.CreateItemAsync(document, new PartitionKey(document.Pk), cancellationToken: ct);
            return new Versioned<DataKeyRecord>(record, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public async Task<Versioned<DataKeyRecord>?> TryReplaceAsync(DataKeyRecord record, string ifMatch, CancellationToken ct)
    {
        try
        {
            var document = DataKeyDocument.From(record);
            var response = await Container.ReplaceItemAsync(document, document.Id, new PartitionKey(document.Pk),
                new ItemRequestOptions { IfMatchEtag = ifMatch }, ct);
            return new Versioned<DataKeyRecord>(record, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<Versioned<DataKeyRecord>>> ListAsync(string? afterScope, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                $"SELECT TOP {take.ToString(CultureInfo.InvariantCulture)} * FROM c WHERE c.docType = @type AND c.id > @after ORDER BY c.id")
            .WithParameter("@type", DataKeyDocument.Type)
            .WithParameter("@after", afterScope ?? "");
        var records = new List<Versioned<DataKeyRecord>>(take);
        using var iterator = Container.GetItemQueryIterator<DataKeyDocument>(query, requestOptions: new QueryRequestOptions { MaxItemCount = take });
        while (iterator.HasMoreResults && records.Count < take)
        {
            foreach (var document in await iterator.ReadNextAsync(ct))
            {
                // The ETag comes with the document (_etag), needed for the If-Match re-wrap.
                records.Add(document.ToRecord(document.ETag ?? throw new InvalidOperationException("The query returned no _etag.")));
            }
        }

        return records.Count > take ? records[..take] : records;
    }
}
