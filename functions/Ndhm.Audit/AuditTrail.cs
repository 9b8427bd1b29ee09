using System.Collections.Concurrent;
using Ndhm.Core.Errors;

namespace Ndhm.Audit;

/// <summary>
/// Appends events to their chains. Each append is exactly one write: a create-only write of the next place
/// (<c>head.seq + 1</c>, linked to the head's hash). The head comes from this instance's cache of heads it wrote or
/// read; a stale cached head (another instance appended since) is found out by that create failing with a conflict,
/// after which the head is read again (a read, never a second write) and the append retried on it. A failure to
/// write propagates: the caller's operation fails rather than happening unaudited.
/// </summary>
public sealed class AuditTrail(IAuditEntryStore store, TimeProvider time) : IAuditTrail
{
    /// <summary>Attempts before giving up on a chain under heavy contention (each lost race is a read and a create).</summary>
    public const int MaxAttempts = 16;

    // Bounded: a busy instance touches many patients' chains; dropping the cache only costs one read per chain.
    private const int MaxCachedHeads = 50_000;

    private readonly ConcurrentDictionary<string, Head> heads = new(StringComparer.Ordinal);

    public async Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct)
    {
        var chain = AuditChainKey.Parse(auditEvent.Chain);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Actor.Subject);
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

            head = await ReadHeadAsync(chain, ct);
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

    private void Remember(string chain, Head head)
    {
        if (heads.Count >= MaxCachedHeads)
        {
            heads.Clear();
        }

        heads.AddOrUpdate(chain, head, (_, known) => head.Seq >= known.Seq ? head : known);
    }

    private sealed record Head(long Seq, string Hash);
}
