using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Encryption;

/// <summary>
/// The public half of the key ABDM clients encrypt <c>loginId</c> and <c>otpValue</c> with: a DER
/// SubjectPublicKeyInfo (what Java's <c>X509EncodedKeySpec</c> reads) and the key version it belongs to.
/// </summary>
public sealed record AbhaPublicKey(string Version, byte[] SubjectPublicKeyInfo);

/// <summary>The RSA key behind ABDM's field encryption; the private half never leaves the key store.</summary>
public interface IAbhaEncryptionKey
{
    Task<AbhaPublicKey> GetPublicKeyAsync(CancellationToken ct);

    /// <summary>The plaintext, or null when no usable version of the key decrypts <paramref name="ciphertext"/>.</summary>
    Task<byte[]?> DecryptAsync(ReadOnlyMemory<byte> ciphertext, CancellationToken ct);
}

/// <summary>
/// ABDM v3 sends sensitive request fields RSA-encrypted (RSA/ECB/OAEPWithSHA-1AndMGF1Padding, 2048-bit key,
/// base64). Our API also takes them in plain text, so a value is treated as ciphertext only when it is base64 of
/// exactly one RSA-2048 block: no Aadhaar number, mobile, OTP, ABHA number or address can look like that.
/// </summary>
public sealed class AbhaFieldEncryption(IAbhaEncryptionKey key)
{
    public const string Algorithm = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    public const int CiphertextBytes = 256;
    public const string EncryptedValueInvalid = "ENCRYPTED_VALUE_INVALID";

    // 256 bytes are 344 base64 characters (with padding); a little slack for line breaks some encoders add.
    private const int MaxEncodedLength = 400;

    public Task<AbhaPublicKey> GetPublicKeyAsync(CancellationToken ct) => key.GetPublicKeyAsync(ct);

    /// <summary>True when <paramref name="value"/> is base64 (standard or URL-safe) of exactly <see cref="CiphertextBytes"/> bytes.</summary>
    public static bool TryReadCiphertext(string? value, out byte[] ciphertext)
    {
        ciphertext = [];
        if (string.IsNullOrWhiteSpace(value) || value.Length < 340 || value.Length > MaxEncodedLength) return false;
        var normalised = new StringBuilder(value.Length + 2);
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c)) continue;
            normalised.Append(c switch { '-' => '+', '_' => '/', _ => c });
        }
        while (normalised.Length % 4 != 0) normalised.Append('=');
        var buffer = new byte[MaxEncodedLength];
        if (!Convert.TryFromBase64String(normalised.ToString(), buffer, out var written) || written != CiphertextBytes) return false;
        ciphertext = buffer[..CiphertextBytes];
        return true;
    }

    /// <summary>
    /// The field as the person typed it: decrypted when it is a ciphertext, unchanged (trimmed) otherwise. The
    /// plaintext is returned to the caller only; it is never logged or put in an error.
    /// </summary>
    public async Task<string> RevealAsync(string value, string field, CancellationToken ct)
    {
        if (!TryReadCiphertext(value, out var ciphertext)) return value.Trim();
        var plain = await key.DecryptAsync(ciphertext, ct) ?? throw Invalid(field);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(plain).Trim() is { Length: > 0 } text
                ? text
                : throw Invalid(field);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(field);
        }
        finally
        {
            Array.Clear(plain);
        }
    }

    /// <summary>
    /// What an ABDM client does: RSA-OAEP (SHA-1, MGF1 SHA-1) of the UTF-8 value with the public key (base64
    /// SubjectPublicKeyInfo, or PEM), base64-encoded. For the CLI and tests; the service never encrypts.
    /// </summary>
    public static string Encrypt(string publicKey, string value)
    {
        using var rsa = RSA.Create();
        if (publicKey.Contains("-----BEGIN", StringComparison.Ordinal)) rsa.ImportFromPem(publicKey);
        else rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey.Trim()), out _);
        return Convert.ToBase64String(rsa.Encrypt(Encoding.UTF8.GetBytes(value), RSAEncryptionPadding.OaepSHA1));
    }

    public static DomainException Invalid(string field) => new(ErrorKind.Validation, EncryptedValueInvalid,
        "The encrypted value is not valid",
        $"{field} looks RSA-encrypted (base64 of {CiphertextBytes} bytes) but does not decrypt with the key of " +
        "GET v3/profile/public/certificate (RSA/ECB/OAEPWithSHA-1AndMGF1Padding). Fetch the current key and encrypt again.");
}
