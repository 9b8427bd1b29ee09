using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Json;
using Ndhm.HealthId.Demographic;
using Ndhm.HealthId.Numbers;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>Demographic claims (id = pk = <c>demographic:{hash}</c>, kind <c>demographicClaim</c>) in <c>health-ids</c>, like document claims.</summary>
public sealed class CosmosDemographicClaims(CosmosClient client, CosmosSettings settings, TimeProvider time) : IDemographicClaims
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<AbhaNumber?> FindHolderAsync(string demographicHash, CancellationToken ct)
    {
        var id = Id(demographicHash);
        var claim = await CosmosDocuments.FindAsync<HealthIdClaimDocument>(container, id, id, ct).ConfigureAwait(false);
        return claim is null ? null : AbhaNumber.Parse(claim.AbhaNumber);
    }

    public async Task<AbhaNumber> ClaimAsync(string demographicHash, AbhaNumber number, CancellationToken ct)
    {
        var id = Id(demographicHash);
        if (await CosmosDocuments.TryCreateAsync(container, new HealthIdClaimDocument(id, id, "demographicClaim", number.Digits, time.GetUtcNow()), id, ct)
                .ConfigureAwait(false) is not null)
            return number;
        var holder = await CosmosDocuments.FindAsync<HealthIdClaimDocument>(container, id, id, ct).ConfigureAwait(false);
        return holder is null ? throw CosmosHealthIdErrors.ConcurrentUpdate() : AbhaNumber.Parse(holder.AbhaNumber);
    }

    public Task ReleaseAsync(string demographicHash, CancellationToken ct)
    {
        var id = Id(demographicHash);
        return CosmosDocuments.TryDeleteAsync(container, id, id, ifMatch: null, ct);
    }

    private static string Id(string hash) => "demographic:" + hash;
}

/// <summary>
/// Uploaded demographic batches in <c>health-ids</c>: id = pk = <c>demographic-batch:{facilityId}:{batchId}</c> (both
/// checked by the service's grammar and again by <see cref="Ndhm.Core.Ids.DocumentIds"/>), kind <c>demographicBatch</c>.
/// No personal data: record ids, ABHA numbers, reason codes, a keyed hash of the content.
/// </summary>
public sealed class CosmosDemographicBatchStore(CosmosClient client, CosmosSettings settings) : IDemographicBatchStore
{
    private const string Kind = "demographicBatch";
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);

    public async Task<Versioned<DemographicBatch>?> FindAsync(string facilityId, string batchId, CancellationToken ct)
    {
        var id = Id(facilityId, batchId);
        var read = await CosmosDocuments.TryReadAsync<JsonObject>(container, id, id, ct).ConfigureAwait(false);
        return read is { } r
            ? new Versioned<DemographicBatch>(r.Document.Deserialize<DemographicBatch>(NdhmJson.Options)
                ?? throw new InvalidOperationException("A batch document deserialised to nothing."), r.ETag)
            : null;
    }

    public Task<string?> TryCreateAsync(DemographicBatch batch, CancellationToken ct)
    {
        var (id, document) = ToStored(batch);
        return CosmosDocuments.TryCreateAsync(container, document, id, ct);
    }

    public Task<string> ReplaceAsync(DemographicBatch batch, string ifMatch, CancellationToken ct)
    {
        var (id, document) = ToStored(batch);
        return CosmosDocuments.ReplaceAsync(container, document, id, id, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate,
            CosmosHealthIdErrors.ConcurrentUpdate, ct);
    }

    public Task DeleteAsync(DemographicBatch batch, string ifMatch, CancellationToken ct)
    {
        var id = Id(batch.FacilityId, batch.BatchId);
        return CosmosDocuments.TryDeleteAsync(container, id, id, ifMatch, ct);
    }

    private static string Id(string facilityId, string batchId) => "demographic-batch:" + facilityId + ":" + batchId;

    private static (string Id, JsonObject Document) ToStored(DemographicBatch batch)
    {
        var id = Id(batch.FacilityId, batch.BatchId);
        var document = JsonSerializer.SerializeToNode(batch, NdhmJson.Options)!.AsObject();
        document["id"] = id;
        document["pk"] = id;
        document["kind"] = Kind;
        return (id, document);
    }
}
