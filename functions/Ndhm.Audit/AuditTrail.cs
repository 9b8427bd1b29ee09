using System.Collections.Concurrent;
using Ndhm.Core.Errors;

namespace Ndhm.Audit;

/// <summary>
/// Appends events to their chains. Each append is exactly one write: a create-only write of the next place
/// (<c>head.seq + 1</c>, linked to the head's hash). The head comes from this instance's cache of heads it wrote or
/// read; a stale cached head (another instance appended since) is found out by that create failing with a conflict,
/// after which the head is read (a single-partition read, never a second write) and the append retried on it, with
/// a growing random pause when a chain is contended. A failure to
/// write propagates: the caller's operation fails rather than happening unaudited.
/// </summary>
public sealed class AuditTrail(IAuditEntryStore store, TimeProvider time) : IAuditTrail
{
    /// <summary>Attempts before giving up on a chain under heavy contention (each lost race is a read and a create).</summary>
    public const int MaxAttempts = 32;

    // Bounded: a busy instance touches many patients' chains; dropping the cache only costs one read per chain.
    private const int MaxCachedHeads = 50_000;

    private readonly ConcurrentDictionary<string, Head> heads = new(StringComparer.Ordinal);

    // Striped, so the number of locks stays fixed however many chains an instance touches.
    private readonly SemaphoreSlim[] stripes = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct)
    {
        var chain = AuditChainKey.Parse(auditEvent.Chain);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Actor.Subject);
        // Appends to one chain from this instance queue here instead of racing each other through Cosmos; only
        // other instances can then take a place first.
        var stripe = stripes[(StringComparer.Ordinal.GetHashCode(chain) & int.MaxValue) % stripes.Length];
        await stripe.WaitAsync(ct);
        try
        {
            return await AppendAsync(chain, auditEvent, ct);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<AuditEntry> AppendAsync(string chain, AuditEvent auditEvent, CancellationToken ct)
    {
        var head = heads.TryGetValue(chain, out var cached) ? cached : await ReadHeadAsync(chain, ct);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var entry = AuditEntry.From(auditEvent with { Chain = chain }, head.Seq + 1, head.Hash, time.GetUtcNow());
            var sealedEntry = entry.Seal();
            if (await store.TryAppendAsync(sealedEntry, ct))
            {
                Remember(chain, new Head(entry.Seq, sealedEntry.Hash));
                return entry;
            }

            // Read the head (not just the entry that took this place: a busy chain may have moved on several places).
            head = await ReadHeadAsync(chain, ct);
            if (attempt >= 2)
            {
                // Many writers on one chain: spread them out so the same ones do not keep colliding.
                await Task.Delay(Random.Shared.Next(1, 1 << Math.Min(attempt, 6)), ct); // real time even under a test clock
            }
        }

        throw new DomainException(ErrorKind.DependencyUnavailable, AuditErrors.Contended, "The audit trail is busy.",
            "The operation was not performed because its audit entry could not be written; retry.") { RetryAfterSeconds = 1 };
    }

    private async Task<Head> ReadHeadAsync(string chain, CancellationToken ct)
    {
        var head = await store.ReadHeadAsync(chain, ct) is { } latest ? new Head(latest.Seq, latest.Hash) : new Head(0, AuditHashing.Genesis);
        Remember(chain, head);
        return head;
    }

    private Head Remember(string chain, Head head)
    {
        if (heads.Count >= MaxCachedHeads)
        {
            heads.Clear();
        }

        heads.AddOrUpdate(chain, head, (_, known) => head.Seq >= known.Seq ? head : known);
        return head;
    }

    private sealed record Head(long Seq, string Hash);
}
