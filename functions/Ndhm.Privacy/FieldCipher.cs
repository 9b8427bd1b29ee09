using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Privacy;

/// <summary>
/// Encrypts one personal field with its subject's data key (AES-256-GCM). The stored form is a string
/// <c>enc:v1:&lt;keyId&gt;:&lt;keyVersion&gt;:&lt;base64url(nonce‖ciphertext‖tag)&gt;</c>. The associated data binds the scope,
/// the document id and the field name (and the key id and version), so a ciphertext copied into another document,
/// another field or another subject's record does not decrypt.
/// </summary>
public sealed class FieldCipher(DataKeyRing ring)
{
    public const string Prefix = "enc:v1:";
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>Whether <paramref name="value"/> is a stored ciphertext rather than plaintext (what a migration skips).</summary>
    public static bool IsEnvelope(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public async Task<string> EncryptAsync(DataKeyScope scope, string documentId, string field, string plaintext, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        using var key = await ring.ForEncryptionAsync(scope, ct).ConfigureAwait(false);
        return Encrypt(key, scope, documentId, field, plaintext);
    }

    public async Task<string?> EncryptOptionalAsync(DataKeyScope scope, string documentId, string field, string? plaintext, CancellationToken ct) =>
        plaintext is null ? null : await EncryptAsync(scope, documentId, field, plaintext, ct).ConfigureAwait(false);

    /// <summary>
    /// The plaintext of <paramref name="envelope"/>. SUBJECT_ERASED (410) once the key is destroyed;
    /// <see cref="CiphertextIntegrityException"/> when it was tampered with or belongs to another document, field or subject.
    /// </summary>
    public async Task<string> DecryptAsync(DataKeyScope scope, string documentId, string field, string envelope, CancellationToken ct)
    {
        var parsed = Parse(envelope);
        using var key = await ring.ForDecryptionAsync(scope, parsed.KeyId, parsed.Version, ct).ConfigureAwait(false);
        return Decrypt(key, scope, documentId, field, parsed);
    }

    public async Task<string?> DecryptOptionalAsync(DataKeyScope scope, string documentId, string field, string? envelope, CancellationToken ct) =>
        envelope is null ? null : await DecryptAsync(scope, documentId, field, envelope, ct).ConfigureAwait(false);

    /// <summary>
    /// Reads a field written before or after encryption was introduced: ciphertext is decrypted, plaintext (not yet
    /// migrated) is returned as is. Only for fields a migration is still converting.
    /// </summary>
    public Task<string?> DecryptOrPlaintextAsync(DataKeyScope scope, string documentId, string field, string? stored, CancellationToken ct) =>
        IsEnvelope(stored) ? DecryptOptionalAsync(scope, documentId, field, stored, ct) : Task.FromResult(stored);

    internal static string Encrypt(CachedDataKey key, DataKeyScope scope, string documentId, string field, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Key, TagSize))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length),
                AssociatedData(scope, documentId, field, key.KeyId, key.Version));
        }

        CryptographicOperations.ZeroMemory(plain);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{key.KeyId}:{key.Version}:{Base64Url.EncodeToString(sealedBytes)}");
    }

    internal static string Decrypt(CachedDataKey key, DataKeyScope scope, string documentId, string field, Envelope parsed)
    {
        var sealedBytes = parsed.Sealed;
        var plainLength = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[plainLength];
        try
        {
            using var aes = new AesGcm(key.Key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plainLength), sealedBytes.AsSpan(NonceSize + plainLength),
                plain, AssociatedData(scope, documentId, field, parsed.KeyId, parsed.Version));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CiphertextIntegrityException("The ciphertext does not authenticate for this subject, document and field (tampered or moved).", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    internal static Envelope Parse(string envelope)
    {
        // enc:v1:<keyId>:<version>:<payload>
        var parts = envelope.Split(':');
        if (parts.Length != 5 || !IsEnvelope(envelope) || parts[2].Length is 0 or > 64
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            throw new CiphertextIntegrityException("The stored value is not an enc:v1 envelope.");
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(parts[4]);
        }
        catch (FormatException e)
        {
            throw new CiphertextIntegrityException("The envelope's payload is not base64url.", e);
        }

        if (sealedBytes.Length < NonceSize + TagSize) throw new CiphertextIntegrityException("The envelope's payload is too short.");
        return new Envelope(parts[2], version, sealedBytes);
    }

    /// <summary>Length-prefixed, so no two (scope, document, field) triples produce the same bytes.</summary>
    internal static byte[] AssociatedData(DataKeyScope scope, string documentId, string field, string keyId, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentException.ThrowIfNullOrEmpty(field);
        using var buffer = new MemoryStream();
        Span<byte> length = stackalloc byte[4];
        foreach (var part in new[] { "ndhm-field-v1", scope.Value, documentId, field, keyId, version.ToString(CultureInfo.InvariantCulture) })
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            buffer.Write(length);
            buffer.Write(bytes);
        }

        return buffer.ToArray();
    }

    internal sealed record Envelope(string KeyId, int Version, byte[] Sealed);
}
