using Ndhm.Core.Concurrency;
using Ndhm.Core.Keys;

namespace Ndhm.Privacy;

/// <summary>
/// A subject's data key as stored: only ever wrapped by the platform's Key Vault wrapping key. A shredded record is a
/// tombstone (no key material, <see cref="ShreddedAt"/> set) that stays so a later write cannot silently create a
/// fresh key and start storing the erased subject's data again.
/// </summary>
/// <param name="KeyId">Random id of this data key, carried by every ciphertext made with it.</param>
/// <param name="Version">Data key generation, carried by every ciphertext (1 until data keys themselves rotate).</param>
/// <param name="Wrapped">The data key wrapped by a named version of the wrapping key; null once shredded.</param>
public sealed record DataKeyRecord(
    DataKeyScope Scope,
    string KeyId,
    int Version,
    WrappedKey? Wrapped,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RewrappedAt = null,
    DateTimeOffset? ShreddedAt = null)
{
    public bool IsShredded => ShreddedAt is not null;
}

/// <summary>Where wrapped data keys live (Cosmos <c>data-keys</c>, partitioned by scope).</summary>
public interface IDataKeyStore
{
    Task<Versioned<DataKeyRecord>?> FindAsync(DataKeyScope scope, CancellationToken ct);

    /// <summary>Create-only: the stored record with its ETag, or null when the scope already has a record (live or tombstone).</summary>
    Task<Versioned<DataKeyRecord>?> TryCreateAsync(DataKeyRecord record, CancellationToken ct);

    /// <summary>Replaces the record if <paramref name="ifMatch"/> is still its ETag: the stored record, or null when it changed meanwhile.</summary>
    Task<Versioned<DataKeyRecord>?> TryReplaceAsync(DataKeyRecord record, string ifMatch, CancellationToken ct);

    /// <summary>Records ordered by scope, after <paramref name="afterScope"/> (keyset paging for the re-wrap job), each with its ETag.</summary>
    Task<IReadOnlyList<Versioned<DataKeyRecord>>> ListAsync(string? afterScope, int take, CancellationToken ct);
}
