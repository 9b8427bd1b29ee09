using Ndhm.Audit;

namespace Ndhm.UnitTests.Audit;

/// <summary>Entries and signatures in memory, with the store's create-only semantics; tests tamper with <see cref="Chains"/> directly.</summary>
internal sealed class InMemoryAuditStore : IAuditEntryStore, IAuditSignatureStore
{
    private readonly Lock gate = new();

    public Dictionary<string, SortedDictionary<long, SealedAuditEntry>> Chains { get; } = new();
    public Dictionary<string, SignedAuditHead> Heads { get; } = new();
    public SortedDictionary<string, SignedAuditDigest> Digests { get; } = new(StringComparer.Ordinal);
    public int Appends { get; private set; }
    public int Conflicts { get; private set; }
    public Exception? FailAppendsWith { get; set; }

    public Task<bool> TryAppendAsync(SealedAuditEntry entry, CancellationToken ct)
    {
        lock (gate)
        {
            if (FailAppendsWith is { } failure) throw failure;
            if (!Chains.TryGetValue(entry.Chain, out var chain)) Chains[entry.Chain] = chain = new SortedDictionary<long, SealedAuditEntry>();
            if (!chain.TryAdd(entry.Seq, entry))
            {
                Conflicts++;
                return Task.FromResult(false);
            }

            Appends++;
            return Task.FromResult(true);
        }
    }

    public Task<SealedAuditEntry?> ReadHeadAsync(string chain, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(Chains.TryGetValue(chain, out var c) && c.Count > 0 ? c.Last().Value : null);
    }

    public Task<SealedAuditEntry?> ReadEntryAsync(string chain, long seq, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(Chains.TryGetValue(chain, out var c) && c.TryGetValue(seq, out var e) ? e : null);
    }

    public Task<IReadOnlyList<SealedAuditEntry>> ReadChainAsync(string chain, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<SealedAuditEntry>>(Chains.TryGetValue(chain, out var c) ? c.Values.ToList() : []);
    }

    public Task<IReadOnlyList<SealedAuditEntry>> ReadNewestFirstAsync(string chain, long? beforeSeq, int take, CancellationToken ct)
    {
        lock (gate)
        {
            IReadOnlyList<SealedAuditEntry> page = Chains.TryGetValue(chain, out var c)
                ? c.Values.Reverse().Where(e => beforeSeq is null || e.Seq < beforeSeq).Take(take).ToList()
                : [];
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<string>>(Chains.Where(c => c.Value.Count > 0).Select(c => c.Key).ToList());
    }

    public Task<SignedAuditHead?> ReadSignedHeadAsync(string chain, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(Heads.GetValueOrDefault(chain));
    }

    public Task SaveSignedHeadAsync(SignedAuditHead head, CancellationToken ct)
    {
        lock (gate) Heads[head.Chain] = head;
        return Task.CompletedTask;
    }

    public Task SaveDigestAsync(SignedAuditDigest digest, CancellationToken ct)
    {
        lock (gate) Digests[digest.Day] = digest;
        return Task.CompletedTask;
    }

    public Task<SignedAuditDigest?> ReadLatestDigestAsync(CancellationToken ct)
    {
        lock (gate) return Task.FromResult(Digests.Count == 0 ? null : Digests.Last().Value);
    }
}
