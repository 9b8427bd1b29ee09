using System.Security.Cryptography;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Keys;

namespace Ndhm.Privacy;

/// <summary>
/// The data keys of all subjects: created on a subject's first encrypted write, unwrapped through Key Vault on a cache
/// miss, destroyed on erasure, re-wrapped on wrapping-key rotation. Plain data keys exist only in memory.
/// </summary>
public sealed class DataKeyRing(IDataKeyStore store, IKeyWrapper wrapper, DataKeyCache cache, TimeProvider time)
{
    public const int KeySizeBytes = 32;
    public const int CurrentVersion = 1;

    /// <summary>The subject's data key for new ciphertext, created if they have none; SUBJECT_ERASED (410) if it was destroyed.</summary>
    public async Task<CachedDataKey> ForEncryptionAsync(DataKeyScope scope, CancellationToken ct)
    {
        if (cache.TryGet(scope) is { } cached) return cached;
        return await store.FindAsync(scope, ct).ConfigureAwait(false) is { } stored
            ? await UnwrapAsync(stored.Value, ct).ConfigureAwait(false)
            : await CreateAsync(scope, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The subject's data key named by a ciphertext. SUBJECT_ERASED (410) if destroyed; <see cref="CiphertextIntegrityException"/>
    /// when the subject holds no such key (the ciphertext was made for someone else).
    /// </summary>
    public async Task<CachedDataKey> ForDecryptionAsync(DataKeyScope scope, string keyId, int version, CancellationToken ct)
    {
        var key = cache.TryGet(scope);
        if (key is null)
        {
            var stored = await store.FindAsync(scope, ct).ConfigureAwait(false)
                         ?? throw new CiphertextIntegrityException($"No data key exists for this {scope.Kind}.");
            key = await UnwrapAsync(stored.Value, ct).ConfigureAwait(false);
        }

        if (key.KeyId == keyId && key.Version == version) return key;
        key.Dispose();
        throw new CiphertextIntegrityException($"The ciphertext names a data key this {scope.Kind} does not hold (key id or version differs).");
    }

    /// <summary>
    /// Crypto-shredding: replaces the subject's key record with a tombstone (no key material), so every ciphertext made
    /// with it is unreadable and no new key can be created for them. Idempotent; a subject without a key gets a tombstone too.
    /// </summary>
    public async Task ShredAsync(DataKeyScope scope, CancellationToken ct)
    {
        try
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                var stored = await store.FindAsync(scope, ct).ConfigureAwait(false);
                var record = stored?.Value;
                if (record is { IsShredded: true }) return;
                var tombstone = new DataKeyRecord(scope, record?.KeyId ?? NewKeyId(), record?.Version ?? CurrentVersion, null,
                    record?.CreatedAt ?? time.GetUtcNow(), record?.RewrappedAt, time.GetUtcNow());
                var written = stored is null
                    ? await store.TryCreateAsync(tombstone, ct).ConfigureAwait(false)
                    : await store.TryReplaceAsync(tombstone, stored.ETag, ct).ConfigureAwait(false);
                if (written is not null) return;
            }

            throw new InvalidOperationException($"The data key of this {scope.Kind} kept changing while being destroyed.");
        }
        finally
        {
            cache.Evict(scope);
        }
    }

    /// <summary>
    /// Re-wraps <paramref name="stored"/> under the wrapping key's current version without touching any data it encrypts.
    /// True when it was re-wrapped; false when already current, shredded, or changed meanwhile (re-read on the next run).
    /// </summary>
    public async Task<bool> RewrapAsync(Versioned<DataKeyRecord> stored, string currentWrappingKeyId, CancellationToken ct)
    {
        var record = stored.Value;
        if (record.Wrapped is not { } wrapped || string.Equals(wrapped.KeyId, currentWrappingKeyId, StringComparison.OrdinalIgnoreCase)) return false;
        var key = await wrapper.UnwrapAsync(wrapped, ct).ConfigureAwait(false);
        try
        {
            var rewrapped = await wrapper.WrapAsync(key, ct).ConfigureAwait(false);
            return await store.TryReplaceAsync(record with { Wrapped = rewrapped, RewrappedAt = time.GetUtcNow() }, stored.ETag, ct)
                .ConfigureAwait(false) is not null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private async Task<CachedDataKey> CreateAsync(DataKeyScope scope, CancellationToken ct)
    {
        var key = RandomNumberGenerator.GetBytes(KeySizeBytes);
        var record = new DataKeyRecord(scope, NewKeyId(), CurrentVersion, await wrapper.WrapAsync(key, ct).ConfigureAwait(false), time.GetUtcNow());
        if (await store.TryCreateAsync(record, ct).ConfigureAwait(false) is not null)
        {
            cache.Put(scope, record.KeyId, record.Version, key);
            return new CachedDataKey(record.KeyId, record.Version, key);
        }

        // Two first writes racing: the one stored wins and both use it.
        CryptographicOperations.ZeroMemory(key);
        var winner = await store.FindAsync(scope, ct).ConfigureAwait(false)
                     ?? throw new InvalidOperationException($"The data key of this {scope.Kind} vanished after a conflicting create.");
        return await UnwrapAsync(winner.Value, ct).ConfigureAwait(false);
    }

    private async Task<CachedDataKey> UnwrapAsync(DataKeyRecord record, CancellationToken ct)
    {
        if (record.IsShredded || record.Wrapped is null) throw PrivacyErrors.Erased(record.Scope);
        var key = await wrapper.UnwrapAsync(record.Wrapped, ct).ConfigureAwait(false);
        if (key.Length != KeySizeBytes)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new CiphertextIntegrityException("The unwrapped data key has the wrong length.");
        }

        cache.Put(record.Scope, record.KeyId, record.Version, key);
        return new CachedDataKey(record.KeyId, record.Version, key);
    }

    private static string NewKeyId() => "dk" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
