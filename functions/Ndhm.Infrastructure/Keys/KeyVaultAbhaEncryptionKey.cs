using System.Buffers.Text;
using System.Security.Cryptography;
using Azure;
using Ndhm.HealthId.Encryption;

namespace Ndhm.Infrastructure.Keys;

/// <summary>
/// <see cref="IAbhaEncryptionKey"/> over a Key Vault RSA key: the public key is read from the vault (JWK n/e) and
/// cached for <see cref="KeyVaultOptions.KeyCacheDuration"/>, so a new key version is published within that time;
/// decryption happens in the vault (RSA-OAEP, i.e. OAEP with SHA-1 as ABDM's Java clients use). A ciphertext made
/// with the previous version (a client holding the key from before a rotation) is tried against older versions too.
/// </summary>
public sealed class KeyVaultAbhaEncryptionKey(KeyVaultKeysClient client, KeyVaultOptions options, TimeProvider time) : IAbhaEncryptionKey
{
    public const string Algorithm = "RSA-OAEP";
    private readonly SemaphoreSlim gate = new(1, 1);
    private (AbhaPublicKey Key, DateTimeOffset FetchedAt)? current;

    public async Task<AbhaPublicKey> GetPublicKeyAsync(CancellationToken ct)
    {
        if (Fresh() is { } cached) return cached;
        await gate.WaitAsync(ct);
        try
        {
            if (Fresh() is { } again) return again;
            var key = await client.GetKeyAsync(options.AbhaEncryptionKeyName, null, ct);
            var published = new AbhaPublicKey(key.Version, RsaPublicKeys.SubjectPublicKeyInfo(key));
            current = (published, time.GetUtcNow());
            return published;
        }
        catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
        {
            throw KeyVaultFailures.Unavailable(e);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<byte[]?> DecryptAsync(ReadOnlyMemory<byte> ciphertext, CancellationToken ct)
    {
        var newest = (await GetPublicKeyAsync(ct)).Version;
        try
        {
            if (await TryDecryptAsync(newest, ciphertext, ct) is { } plain) return plain;
            // Rare (only after a rotation, or for garbage), so listing the versions here costs nothing normally.
            var now = time.GetUtcNow();
            var older = (await client.GetKeyVersionsAsync(options.AbhaEncryptionKeyName, ct))
                .Where(v => v.Version != newest && v.Attributes.IsUsableAt(now))
                .OrderByDescending(v => v.Attributes.Created)
                .Take(Math.Max(0, options.PublishedKeyVersions - 1));
            foreach (var version in older)
                if (await TryDecryptAsync(version.Version, ciphertext, ct) is { } previous) return previous;
            return null;
        }
        catch (Exception e) when (KeyVaultFailures.IsDependencyFailure(e, ct))
        {
            throw KeyVaultFailures.Unavailable(e);
        }
    }

    private async Task<byte[]?> TryDecryptAsync(string version, ReadOnlyMemory<byte> ciphertext, CancellationToken ct)
    {
        try
        {
            return (await client.DecryptAsync(options.AbhaEncryptionKeyName, version, Algorithm, ciphertext, ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            return null;
        }
    }

    private AbhaPublicKey? Fresh() =>
        current is { } c && time.GetUtcNow() - c.FetchedAt < options.KeyCacheDuration ? c.Key : null;
}

/// <summary>RSA public keys from a JWK, in the encodings other platforms read.</summary>
public static class RsaPublicKeys
{
    /// <summary>DER SubjectPublicKeyInfo (X.509 <c>PUBLIC KEY</c>) of the RSA key with this base64url modulus and exponent.</summary>
    public static byte[] SubjectPublicKeyInfo(string modulus, string exponent)
    {
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.DecodeFromChars(modulus), Exponent = Base64Url.DecodeFromChars(exponent) });
        return rsa.ExportSubjectPublicKeyInfo();
    }

    public static byte[] SubjectPublicKeyInfo(KeyVaultKey key) =>
        key.Kty is "RSA" or "RSA-HSM" && key.N is { } n && key.E is { } e
            ? SubjectPublicKeyInfo(n, e)
            : throw new FormatException($"Key {key.Name} is not an RSA key.");
}
