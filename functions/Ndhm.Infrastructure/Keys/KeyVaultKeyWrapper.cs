using Azure;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;

namespace Ndhm.Infrastructure.Keys;

/// <summary>
/// <see cref="IKeyWrapper"/> over the Key Vault wrapping key (RSA-OAEP-256). Wrapping uses the current
/// version; unwrapping uses the version recorded with the wrapped key, so rotation never strands data.
/// </summary>
public sealed class KeyVaultKeyWrapper(KeyVaultKeysClient client, KeyVaultOptions options, TimeProvider time) : IKeyWrapper
{
    public const string Algorithm = "RSA-OAEP-256";
    private (string Version, string KeyId, DateTimeOffset FetchedAt)? _current;

    public async Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken ct)
    {
        if (dataKey.IsEmpty) throw new ArgumentException("The data key is empty.", nameof(dataKey));
        try
        {
            var version = await CurrentVersionAsync(ct);
            var result = await client.WrapKeyAsync(options.WrappingKeyName, version, Algorithm, dataKey, ct);
            return new WrappedKey(result.KeyId, Algorithm, result.Value);
        }
        catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
        {
            throw KeyVaultFailures.Unavailable(e);
        }
    }

    public async Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken ct)
    {
        if (!KeyVaultKeyId.TryParse(wrapped.KeyId, out var id) || !string.Equals(id.Name, options.WrappingKeyName, StringComparison.OrdinalIgnoreCase)
            || wrapped.Algorithm is not ("RSA-OAEP-256" or "RSA-OAEP"))
            throw Invalid("The wrapped key does not name a version of the platform wrapping key.");
        try
        {
            return (await client.UnwrapKeyAsync(id.Name, id.Version, wrapped.Algorithm, wrapped.EncryptedKey, ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status is 400 or 404)
        {
            throw Invalid(e.Status == 404 ? "The wrapping key version no longer exists." : "The wrapped key could not be unwrapped.");
        }
        catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
        {
            throw KeyVaultFailures.Unavailable(e);
        }
    }

    public async Task<string> GetCurrentKeyIdAsync(CancellationToken ct)
    {
        try
        {
            await CurrentVersionAsync(ct);
            return _current!.Value.KeyId;
        }
        catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
        {
            throw KeyVaultFailures.Unavailable(e);
        }
    }

    private async Task<string> CurrentVersionAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_current is { } cached && now - cached.FetchedAt < options.KeyCacheDuration) return cached.Version;
        var key = await client.GetKeyAsync(options.WrappingKeyName, null, ct);
        _current = (key.Version, key.KeyId, now);
        return key.Version;
    }

    private static DomainException Invalid(string detail) =>
        new(ErrorKind.Validation, KeyErrorCodes.WrappedKeyInvalid, "The wrapped key is not valid.", detail);
}
