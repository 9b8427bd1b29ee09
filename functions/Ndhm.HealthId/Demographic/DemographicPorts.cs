using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Demographic;

/// <summary>
/// Port: one ABHA per person enrolled by demographics, as <see cref="Documents.IDocumentClaims"/> does per document: a
/// create-if-absent claim per keyed demographic hash (id <c>demographic:{hash}</c>), so two batches racing with the same
/// person create one account. Accounts enrolled by the other routes are found through
/// <see cref="Enrolment.IAbhaAccountStore.FindByDemographicHashAsync"/>.
/// </summary>
public interface IDemographicClaims
{
    Task<AbhaNumber?> FindHolderAsync(string demographicHash, CancellationToken ct);

    /// <summary>Claims the hash for <paramref name="number"/>; returns whoever holds it afterwards.</summary>
    Task<AbhaNumber> ClaimAsync(string demographicHash, AbhaNumber number, CancellationToken ct);

    Task ReleaseAsync(string demographicHash, CancellationToken ct);
}

/// <summary>Port: uploaded batches, one document per facility and batch id (idempotent uploads).</summary>
public interface IDemographicBatchStore
{
    Task<Versioned<DemographicBatch>?> FindAsync(string facilityId, string batchId, CancellationToken ct);

    /// <summary>Creates the batch; null when one with this facility and id exists already (another upload won).</summary>
    Task<string?> TryCreateAsync(DemographicBatch batch, CancellationToken ct);

    /// <summary>If-Match replace; PreconditionFailed (CONCURRENT_UPDATE) when another upload changed it meanwhile.</summary>
    Task<string> ReplaceAsync(DemographicBatch batch, string ifMatch, CancellationToken ct);

    /// <summary>Removes a batch whose processing failed, so the retried upload starts afresh (records are idempotent).</summary>
    Task DeleteAsync(DemographicBatch batch, string ifMatch, CancellationToken ct);
}

/// <summary>
/// Port: gives accounts written before the demographic dedup key existed their keyed hash (resumable, idempotent,
/// audited per account); the Cosmos adapter is <c>DemographicKeyBackfill</c>.
/// </summary>
public interface IDemographicKeyBackfill
{
    /// <param name="restart">Start from the first account even when an earlier run completed.</param>
    /// <param name="maxPages">At most this many pages of 100 accounts in this call; the next call resumes.</param>
    Task<Ndhm.Privacy.RunReport> RunAsync(bool restart, int? maxPages, CancellationToken ct);
}
