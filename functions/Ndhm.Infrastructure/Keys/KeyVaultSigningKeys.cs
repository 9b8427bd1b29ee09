using Ndhm.Core.Security.Tokens;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;

namespace Ndhm.Infrastructure.Keys;

/// <summary>
/// <see cref="ISigningKeys"/> over the Key Vault signing key. The current version and the published public
/// keys are fetched together and cached as one snapshot, so a kid this process signs with is always one it
/// also publishes.
/// </summary>
public sealed class KeyVaultSigningKeys(KeyVaultKeysClient client, KeyVaultOptions options, TimeProvider time) : ISigningKeys, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile Snapshot? _snapshot;
    // After a failed fetch, callers get the stale snapshot without waiting on the vault again until then.
    private long _nextAttemptAfterFailureTicks;

    public async Task<SigningKey> GetCurrentAsync(CancellationToken ct) => (await GetSnapshotAsync(refresh: false, ct)).Current;

    public async Task<IReadOnlyList<PublicJsonWebKey>> GetPublicKeysAsync(bool refresh, CancellationToken ct) =>
        (await GetSnapshotAsync(refresh, ct)).Keys;

    public async Task<KeySignature> SignAsync(SigningKey key, ReadOnlyMemory<byte> digest, CancellationToken ct)
    {
        if (digest.Length != 32) throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(digest));
        if (!KeyVaultKeyId.TryParse(key.KeyId, out var id) || !string.Equals(id.Name, options.SigningKeyName, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("The key is not a version of the configured signing key.", nameof(key));
        try
        {
            var result = await client.SignAsync(id.Name, id.Version, key.Algorithm, digest, ct);
            // Key Vault returns either form of an ECDSA signature; the platform issues (and accepts) only low-S.
            var signature = key.Algorithm == SigningAlgorithms.Es256 ? Es256Signatures.ToLowS(result.Value) : result.Value;
            return new KeySignature(key.KeyId, key.Algorithm, signature);
        }
        catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
        {
            throw KeyVaultFailures.Unavailable(e);
        }
    }

    private async Task<Snapshot> GetSnapshotAsync(bool refresh, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var current = _snapshot;
        if (current is not null && !NeedsFetch(current, refresh, now)) return current;

        await _refresh.WaitAsync(ct);
        try
        {
            current = _snapshot;
            now = time.GetUtcNow();
            if (current is not null && !NeedsFetch(current, refresh, now)) return current;
            try
            {
                return _snapshot = await FetchAsync(now, ct);
            }
            catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
            {
                // Validation keeps working on recent keys while the vault is briefly down; signing fails anyway.
                if (current is not null && now - current.FetchedAt < options.MaxStaleness)
                {
                    Volatile.Write(ref _nextAttemptAfterFailureTicks, (now + options.MinRefreshInterval).UtcTicks);
                    return current;
                }
                throw KeyVaultFailures.Unavailable(e);
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool NeedsFetch(Snapshot snapshot, bool refresh, DateTimeOffset now) =>
        now.UtcTicks >= Volatile.Read(ref _nextAttemptAfterFailureTicks)
        && (now - snapshot.FetchedAt >= options.KeyCacheDuration || (refresh && now - snapshot.FetchedAt >= options.MinRefreshInterval));

    private async Task<Snapshot> FetchAsync(DateTimeOffset now, CancellationToken ct)
    {
        var name = options.SigningKeyName;
        var current = await client.GetKeyAsync(name, null, ct);
        var currentJwk = ToJwk(current) ?? throw new InvalidOperationException("The signing key is neither EC P-256 nor RSA.");

        var versions = await client.GetKeyVersionsAsync(name, ct);
        // Newest first; versions created in the same second keep the vault's listing order, newest last.
        var previous = versions
            .Select((item, index) => (item, index))
            .Where(v => v.item.Version != current.Version && v.item.Attributes.IsUsableAt(now))
            .OrderByDescending(v => v.item.Attributes.Created ?? DateTimeOffset.MinValue)
            .ThenByDescending(v => v.index)
            .Take(Math.Max(0, options.PublishedKeyVersions - 1))
            .Select(v => client.GetKeyAsync(name, v.item.Version, ct));
        var previousKeys = await Task.WhenAll(previous);

        var keys = new List<PublicJsonWebKey> { currentJwk };
        keys.AddRange(previousKeys.Select(ToJwk).OfType<PublicJsonWebKey>());
        return new Snapshot(new SigningKey(current.KeyId, currentJwk.Alg), keys, now);
    }

    private static PublicJsonWebKey? ToJwk(KeyVaultKey key) => PublicJsonWebKey.AlgorithmFor(key.Kty, key.Crv) is { } alg
        ? new PublicJsonWebKey
        {
            Kid = key.KeyId,
            Kty = key.Kty.Replace("-HSM", "", StringComparison.Ordinal),
            Alg = alg,
            Crv = key.Crv,
            X = key.X,
            Y = key.Y,
            N = key.N,
            E = key.E,
        }
        : null;

    public void Dispose() => _refresh.Dispose();

    private sealed record Snapshot(SigningKey Current, IReadOnlyList<PublicJsonWebKey> Keys, DateTimeOffset FetchedAt);
}
