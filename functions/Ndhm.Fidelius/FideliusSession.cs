using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Ndhm.Fidelius;

/// <summary>
/// The AES-256-GCM key and IV one side derives for one transfer: ECDH(own private, peer public) as 32 big-endian
/// bytes, HKDF-SHA256 with salt = (nonceA XOR nonceB)[0..20) and no info, IV = (nonceA XOR nonceB)[20..32).
/// Create one per transfer and dispose it when the transfer is done; nothing outlives it.
/// </summary>
/// <remarks>
/// ABDM sends every entry of one data push under a single key material, so all entries share this key and IV (a GCM
/// nonce reused by the protocol itself). A session lets the HIU decrypt those entries with one key agreement; a
/// sender should prefer fresh key material per push, which this library makes cheap.
/// </remarks>
public sealed class FideliusSession : IDisposable
{
    public const int TagSize = 16;
    public const int KeySize = 32;
    public const int IvSize = 12;
    private const int SaltSize = 20;

    private readonly AesGcm _aes;
    private readonly byte[] _iv;

    private FideliusSession(FideliusPrivateKey ownPrivateKey, FideliusPublicKey peerPublicKey, FideliusNonce ownNonce,
        FideliusNonce peerNonce)
    {
        ArgumentNullException.ThrowIfNull(ownPrivateKey);
        ArgumentNullException.ThrowIfNull(peerPublicKey);
        ArgumentNullException.ThrowIfNull(ownNonce);
        ArgumentNullException.ThrowIfNull(peerNonce);

        Span<byte> xor = stackalloc byte[FideliusNonce.Length];
        var a = ownNonce.Span;
        var b = peerNonce.Span;
        for (var i = 0; i < xor.Length; i++)
        {
            xor[i] = (byte)(a[i] ^ b[i]);
        }

        Span<byte> secret = stackalloc byte[FideliusCurve.FieldBytes];
        Span<byte> key = stackalloc byte[KeySize];
        try
        {
            FideliusCurve.Agree(ownPrivateKey.D, peerPublicKey.X, peerPublicKey.Y, secret);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, xor[..SaltSize], ReadOnlySpan<byte>.Empty);
            _iv = xor[SaltSize..].ToArray();
            _aes = new AesGcm(key, TagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The sender's (HIP's) session: its own key material and the requester's public key and nonce.</summary>
    public static FideliusSession ForSender(FideliusNonce senderNonce, FideliusNonce requesterNonce,
        FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey) =>
        new(senderPrivateKey, requesterPublicKey, senderNonce, requesterNonce);

    /// <summary>The requester's (HIU's) session: its own key material and the sender's public key and nonce.</summary>
    public static FideliusSession ForRequester(FideliusNonce requesterNonce, FideliusNonce senderNonce,
        FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey) =>
        new(requesterPrivateKey, senderPublicKey, requesterNonce, senderNonce);

    /// <summary>Ciphertext || 16-byte tag: the plaintext length plus <see cref="TagSize"/>.</summary>
    public static int GetCiphertextLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(plaintextLength);
        return checked(plaintextLength + TagSize);
    }

    /// <summary>Base64 length of the encrypted form of <paramref name="plaintextLength"/> bytes.</summary>
    public static int GetBase64Length(int plaintextLength) => checked((GetCiphertextLength(plaintextLength) + 2) / 3 * 4);

    /// <summary>
    /// Encrypts into <paramref name="destination"/> (at least <see cref="GetCiphertextLength"/> bytes; it may be the
    /// plaintext's own buffer) and returns the number of bytes written.
    /// </summary>
    public int Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var length = GetCiphertextLength(plaintext.Length);
        if (destination.Length < length)
        {
            throw new FideliusException(FideliusErrorCodes.BufferTooSmall, "The destination buffer is too small.",
                $"Encrypting {plaintext.Length} bytes needs {length} bytes of destination.");
        }

        _aes.Encrypt(_iv, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagSize));
        return length;
    }

    /// <summary>
    /// Checks the tag and decrypts into <paramref name="destination"/> (at least ciphertext length - 16 bytes);
    /// returns the plaintext length. A wrong key, nonce or any changed byte fails with
    /// <see cref="FideliusErrorCodes.DecryptionFailed"/> and leaves no plaintext behind.
    /// </summary>
    public int Decrypt(ReadOnlySpan<byte> ciphertextAndTag, Span<byte> destination)
    {
        if (ciphertextAndTag.Length < TagSize)
        {
            throw new FideliusException(FideliusErrorCodes.InvalidCiphertext, "The encrypted data is too short.",
                $"Fidelius data carries a {TagSize}-byte tag; {ciphertextAndTag.Length} bytes were given.");
        }

        var length = ciphertextAndTag.Length - TagSize;
        if (destination.Length < length)
        {
            throw new FideliusException(FideliusErrorCodes.BufferTooSmall, "The destination buffer is too small.",
                $"Decrypting needs {length} bytes of destination.");
        }

        try
        {
            _aes.Decrypt(_iv, ciphertextAndTag[..length], ciphertextAndTag[length..], destination[..length]);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new FideliusException(FideliusErrorCodes.DecryptionFailed, "The encrypted data could not be decrypted.",
                "The authentication tag does not match: wrong key, wrong nonce, or the data was changed.", e);
        }

        return length;
    }

    // ---- the data push over UTF-8 JSON: no base64 string is ever made ----

    /// <summary>
    /// Encrypts and appends the base64 of ciphertext || tag, as UTF-8, to <paramref name="destination"/> (a push body
    /// being written); returns the bytes appended (<see cref="GetBase64Length"/>). The ciphertext is written into the
    /// writer's own memory and base64-encoded there in place, so nothing is staged and no plaintext lands in it.
    /// </summary>
    public int EncryptToBase64Utf8(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var ciphertextLength = GetCiphertextLength(plaintext.Length);
        var base64Length = GetBase64Length(plaintext.Length);
        var span = destination.GetSpan(base64Length)[..base64Length];
        Encrypt(plaintext, span);
        if (Base64.EncodeToUtf8InPlace(span, ciphertextLength, out var written) != OperationStatus.Done)
        {
            throw new InvalidOperationException("Base64 in place needs the space GetBase64Length gives.");
        }

        destination.Advance(written);
        return written;
    }

    /// <summary>
    /// Encrypts and writes the base64 of ciphertext || tag as a JSON string value (an entry's <c>content</c>): the
    /// same text <see cref="FideliusCipher.EncryptToBase64(ReadOnlySpan{byte}, FideliusNonce, FideliusNonce, FideliusPrivateKey, FideliusPublicKey)"/>
    /// returns, written unescaped (base64 needs no escaping). The ciphertext is staged in a pooled buffer;
    /// <see cref="Utf8JsonWriter"/> caps one base64 value at about 125 MB of data.
    /// </summary>
    public void WriteEncryptedBase64StringValue(Utf8JsonWriter writer, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var length = GetCiphertextLength(plaintext.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            Encrypt(plaintext, buffer);
            writer.WriteBase64StringValue(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes base64 given as UTF-8 (an entry's <c>content</c> as it sits in the received JSON) and decrypts into
    /// <paramref name="destination"/> (see <see cref="FideliusCipher.GetMaxPlaintextLength"/>); returns the plaintext
    /// length. Accepts and refuses exactly what the char overloads do for the same text.
    /// </summary>
    public int DecryptFromBase64Utf8(ReadOnlySpan<byte> base64Utf8, Span<byte> destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DecodedCapacity(base64Utf8.Length));
        try
        {
            return Decrypt(buffer.AsSpan(0, DecodeUtf8(base64Utf8, buffer)), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// As <see cref="DecryptFromBase64Utf8(ReadOnlySpan{byte}, Span{byte})"/>, into a pooled buffer decrypted in place:
    /// dispose the result to wipe it and give it back.
    /// </summary>
    public PooledPlaintext DecryptFromBase64Utf8ToPool(ReadOnlySpan<byte> base64Utf8)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(DecodedCapacity(base64Utf8.Length));
        try
        {
            var ciphertext = DecodeUtf8(base64Utf8, buffer);
            var length = Decrypt(buffer.AsSpan(0, ciphertext), buffer);
            return new PooledPlaintext(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static int DecodedCapacity(int base64Length) => Math.Max(1, base64Length / 4 * 3 + 3);

    private static int DecodeUtf8(ReadOnlySpan<byte> base64Utf8, Span<byte> buffer) =>
        Base64Text.TryDecodeUtf8(base64Utf8, buffer, out var length)
            ? length
            : throw new FideliusException(FideliusErrorCodes.InvalidCiphertext, "The encrypted data is not valid base64.");

    public void Dispose() => _aes.Dispose();
}
