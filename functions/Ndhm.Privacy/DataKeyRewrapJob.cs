using Ndhm.Core.Errors;
using Ndhm.Core.Keys;

namespace Ndhm.Privacy;

/// <summary>
/// After the wrapping key rotates (a new Key Vault key version), re-wraps every data key under the new version. No
/// data is re-encrypted: ciphertexts name the data key, not the wrapping key, and records not yet re-wrapped keep
/// unwrapping under the version they name. Idempotent (a current record is skipped) and resumable: the checkpoint
/// is per wrapping-key version, so a new rotation starts a new pass and a finished pass is not repeated.
/// </summary>
public sealed class DataKeyRewrapJob(IDataKeyStore store, DataKeyRing ring, IKeyWrapper wrapper, IRunCheckpoints checkpoints, TimeProvider time)
{
    public const int DefaultPageSize = 100;

    public async Task<RunReport> RunAsync(CancellationToken ct, int pageSize = DefaultPageSize, int? maxPages = null)
    {
        var current = await wrapper.GetCurrentKeyIdAsync(ct).ConfigureAwait(false);
        var name = "rewrap:" + current;
        var saved = await checkpoints.FindAsync(name, ct).ConfigureAwait(false);
        var (checkpoint, etag) = (saved?.Value ?? new RunCheckpoint(name, null, false, 0, 0, time.GetUtcNow()), saved?.ETag);
        for (var page = 0; !checkpoint.Completed && (maxPages is null || page < maxPages); page++)
        {
            var records = await store.ListAsync(checkpoint.After, pageSize, ct).ConfigureAwait(false);
            var (changed, failed) = (0, 0);
            foreach (var record in records)
            {
                try
                {
                    if (await ring.RewrapAsync(record, current, ct).ConfigureAwait(false)) changed++;
                }
                catch (DomainException e) when (e.Code == KeyErrorCodes.WrappedKeyInvalid)
                {
                    // Not a key this vault can unwrap (corrupted, or under another wrapping key): one bad record must not
                    // stop every other subject's key from moving to the new version. It keeps its old wrapping.
                    failed++;
                }
            }

            var next = checkpoint with
            {
                After = records.Count > 0 ? records[^1].Value.Scope.Value : checkpoint.After,
                Completed = records.Count < pageSize,
                Visited = checkpoint.Visited + records.Count,
                Changed = checkpoint.Changed + changed,
                Failed = checkpoint.Failed + failed,
                UpdatedAt = time.GetUtcNow(),
            };
            var written = await checkpoints.TrySaveAsync(next, etag, ct).ConfigureAwait(false)
                          ?? throw new InvalidOperationException("Another run of the re-wrap job advanced the checkpoint; this run stops.");
            (checkpoint, etag) = (written.Value, written.ETag);
        }

        return new RunReport(name, checkpoint.Visited, checkpoint.Changed, checkpoint.Completed, checkpoint.Failed);
    }
}
