namespace Ndhm.Core.Keys;

/// <summary>
/// The platform's token-signing key, held in Key Vault (locally: the sandbox's Key Vault endpoint). Private key
/// material never leaves the vault: callers hash locally and send only the SHA-256 digest to be signed.
/// </summary>
public interface ISigningKeys
{
    /// <summary>
    /// The key version new signatures should use. A JWS header names its key and algorithm before the digest
    /// is computed, so callers ask for the key first and then sign with exactly that version.
    /// </summary>
    Task<SigningKey> GetCurrentAsync(CancellationToken ct);

    /// <summary>Signs a SHA-256 <paramref name="digest"/> with <paramref name="key"/>. ES256 signatures are raw R||S (64 bytes), low-S.</summary>
    Task<KeySignature> SignAsync(SigningKey key, ReadOnlyMemory<byte> digest, CancellationToken ct);

    /// <summary>
    /// Public keys that tokens may be signed with: the current version first, then previous versions that are
    /// still enabled and unexpired, up to the configured count. Cached briefly; <paramref name="refresh"/>
    /// asks for fresh keys (an unknown kid may be a version created since), which implementations rate-limit.
    /// </summary>
    Task<IReadOnlyList<PublicJsonWebKey>> GetPublicKeysAsync(bool refresh, CancellationToken ct);
}

/// <param name="KeyId">The full, versioned key id, e.g. <c>https://vault.vault.azure.net/keys/ndhm-signing/3f2a...</c>.</param>
/// <param name="Algorithm">JWS algorithm the key signs with: <c>ES256</c> or <c>RS256</c>.</param>
public sealed record SigningKey(string KeyId, string Algorithm);

public sealed record KeySignature(string KeyId, string Algorithm, byte[] Signature);

/// <summary>A data key encrypted under the platform's wrapping key (envelope encryption).</summary>
/// <param name="KeyId">Versioned id of the wrapping key used, needed to unwrap after rotation.</param>
public sealed record WrappedKey(string KeyId, string Algorithm, byte[] EncryptedKey);

/// <summary>Envelope encryption: data keys are generated locally and wrapped by a Key Vault key.</summary>
public interface IKeyWrapper
{
    Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken ct);

    Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken ct);

    /// <summary>The versioned id of the wrapping key new wraps use; a wrapped key naming another version is due for re-wrapping.</summary>
    Task<string> GetCurrentKeyIdAsync(CancellationToken ct);
}

public static class KeyErrorCodes
{
    /// <summary>Key Vault (or the sandbox endpoint) could not be reached or refused the operation.</summary>
    public const string KeysUnavailable = "KEYS_UNAVAILABLE";

    /// <summary>A wrapped key could not be unwrapped: wrong key, corrupted or forged ciphertext.</summary>
    public const string WrappedKeyInvalid = "WRAPPED_KEY_INVALID";
}

/// <summary>JWS algorithm names the platform signs and accepts.</summary>
public static class SigningAlgorithms
{
    public const string Es256 = "ES256";
    public const string Rs256 = "RS256";
}
