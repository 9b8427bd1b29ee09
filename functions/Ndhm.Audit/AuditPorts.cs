using System.Text.Json;

namespace Ndhm.Audit;

/// <summary>
/// Entries of every chain. An entry's id is its chain key and sequence number (<see cref="AuditEntryId"/>), and an
/// append is a create-only write of that id: two writers racing for the same place get one success and one
/// conflict, so a chain never forks.
/// </summary>
public interface IAuditEntryStore
{
    /// <summary>Create-only write; false when an entry with this chain and sequence number exists already.</summary>
    Task<bool> TryAppendAsync(SealedAuditEntry entry, CancellationToken ct);

    /// <summary>The chain's latest entry (highest sequence number), or null for a chain with none.</summary>
    Task<SealedAuditEntry?> ReadHeadAsync(string chain, CancellationToken ct);

    /// <summary>One entry by its place (a point read), or null.</summary>
    Task<SealedAuditEntry?> ReadEntryAsync(string chain, long seq, CancellationToken ct);

    /// <summary>Every entry of the chain, by ascending sequence number.</summary>
    Task<IReadOnlyList<SealedAuditEntry>> ReadChainAsync(string chain, CancellationToken ct);

    /// <summary>Up to <paramref name="take"/> entries with sequence numbers below <paramref name="beforeSeq"/> (all when null), newest first.</summary>
    Task<IReadOnlyList<SealedAuditEntry>> ReadNewestFirstAsync(string chain, long? beforeSeq, int take, CancellationToken ct);

    /// <summary>The keys of every chain that has entries.</summary>
    Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken ct);
}

/// <summary>Signed chain heads (one per chain, the latest signed) and the daily digests of all heads.</summary>
public interface IAuditSignatureStore
{
    Task<SignedAuditHead?> ReadSignedHeadAsync(string chain, CancellationToken ct);

    Task SaveSignedHeadAsync(SignedAuditHead head, CancellationToken ct);

    Task SaveDigestAsync(SignedAuditDigest digest, CancellationToken ct);

    /// <summary>The digest of the latest day that has one.</summary>
    Task<SignedAuditDigest?> ReadLatestDigestAsync(CancellationToken ct);
}

/// <summary>Signs a JSON payload as a compact JWS with the platform's signing key (verifiable against the JWKS).</summary>
public interface IAuditHeadSigner
{
    Task<string> SignAsync(JsonElement payload, CancellationToken ct);
}

/// <summary>Records audited operations. An exception means the event was not recorded: the operation must fail.</summary>
public interface IAuditTrail
{
    Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct);
}

/// <summary>The actor of the operation in progress (the HTTP caller), for capabilities that audit deep in a service.</summary>
public interface ICurrentAuditActor
{
    /// <summary>The caller of the current request, or null outside one.</summary>
    AuditActor? Current { get; }
}

/// <summary>Stored ids: the chain key and the zero-padded sequence number, so ids sort in chain order.</summary>
public static class AuditEntryId
{
    public static string For(string chain, long seq) => chain + ":" + seq.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
}
