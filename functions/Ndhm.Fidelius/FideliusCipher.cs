using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ndhm.Fidelius;

/// <summary>
/// One-shot Fidelius encryption and decryption, byte-compatible with the ABDM Java tool (fidelius-cli). Arguments
/// come in the Java tool's order. Each call does its own key agreement; for many entries of one transfer use a
/// <see cref="FideliusSession"/>. Large payloads: the span overloads write into caller buffers, and the base64
/// overloads stage ciphertext in pooled buffers so only the result itself is allocated.
/// </summary>
public static class FideliusCipher
{
    public const int TagSize = FideliusSession.TagSize;

    public static int GetCiphertextLength(int plaintextLength) => FideliusSession.GetCiphertextLength(plaintextLength);

    /// <summary>Base64 length of the encrypted form of <paramref name="plaintextLength"/> bytes.</summary>
    public static int GetBase64Length(int plaintextLength) => FideliusSession.GetBase64Length(plaintextLength);

    // ---- sender (HIP) ----

    /// <summary>Encrypts into <paramref name="destination"/> (plaintext length + 16); returns bytes written.</summary>
    public static int Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> destination, FideliusNonce senderNonce,
        FideliusNonce requesterNonce, FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        using var session = FideliusSession.ForSender(senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey);
        return session.Encrypt(plaintext, destination);
    }

    /// <summary>Encrypts and returns ciphertext || tag.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, FideliusNonce senderNonce, FideliusNonce requesterNonce,
        FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        var result = GC.AllocateUninitializedArray<byte>(GetCiphertextLength(plaintext.Length));
        Encrypt(plaintext, result, senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey);
        return result;
    }

    /// <summary>Encrypts and returns base64: the <c>encryptedData</c> / <c>content</c> ABDM carries.</summary>
    public static string EncryptToBase64(ReadOnlySpan<byte> plaintext, FideliusNonce senderNonce,
        FideliusNonce requesterNonce, FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        var length = GetCiphertextLength(plaintext.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encrypt(plaintext, buffer, senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey);
            return Base64Text.Encode(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Encrypts base64 into <paramref name="destination"/> (see <see cref="GetBase64Length"/>); returns chars written.</summary>
    public static int EncryptToBase64(ReadOnlySpan<byte> plaintext, Span<char> destination, FideliusNonce senderNonce,
        FideliusNonce requesterNonce, FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        var needed = GetBase64Length(plaintext.Length);
        if (destination.Length < needed)
        {
            throw new FideliusException(FideliusErrorCodes.BufferTooSmall, "The destination buffer is too small.",
                $"The base64 form needs {needed} characters.");
        }

        var length = GetCiphertextLength(plaintext.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Encrypt(plaintext, buffer, senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey);
            return Base64Text.Encode(buffer.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Encrypts the UTF-8 bytes of <paramref name="text"/> (what the Java tool does with its argument): the data-push
    /// path, a bundle's JSON in, the base64 <c>content</c> out. One pooled buffer holds the UTF-8 bytes and is
    /// encrypted in place; the base64 is written straight into the result string.
    /// </summary>
    public static string EncryptToBase64(string text, FideliusNonce senderNonce, FideliusNonce requesterNonce,
        FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = ArrayPool<byte>.Shared.Rent(checked(Encoding.UTF8.GetMaxByteCount(text.Length) + TagSize));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            using (var session = FideliusSession.ForSender(senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey))
            {
                // In place: the plaintext bytes become ciphertext, so nothing readable is left in the pooled buffer.
                var length = session.Encrypt(buffer.AsSpan(0, written), buffer);
                return Base64Text.Encode(buffer.AsSpan(0, length));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Encrypts and appends the base64 <c>content</c> as UTF-8 to <paramref name="destination"/> (a data-push body being
    /// written); returns the bytes appended. See <see cref="FideliusSession.EncryptToBase64Utf8"/>.
    /// </summary>
    public static int EncryptToBase64Utf8(ReadOnlySpan<byte> plaintext, IBufferWriter<byte> destination, FideliusNonce senderNonce,
        FideliusNonce requesterNonce, FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        using var session = FideliusSession.ForSender(senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey);
        return session.EncryptToBase64Utf8(plaintext, destination);
    }

    /// <summary>
    /// Encrypts and writes the base64 <c>content</c> as a JSON string value. See
    /// <see cref="FideliusSession.WriteEncryptedBase64StringValue"/>.
    /// </summary>
    public static void WriteEncryptedBase64StringValue(Utf8JsonWriter writer, ReadOnlySpan<byte> plaintext, FideliusNonce senderNonce,
        FideliusNonce requesterNonce, FideliusPrivateKey senderPrivateKey, FideliusPublicKey requesterPublicKey)
    {
        using var session = FideliusSession.ForSender(senderNonce, requesterNonce, senderPrivateKey, requesterPublicKey);
        session.WriteEncryptedBase64StringValue(writer, plaintext);
    }

    // ---- requester (HIU) ----

    /// <summary>Decrypts ciphertext || tag into <paramref name="destination"/>; returns the plaintext length.</summary>
    public static int Decrypt(ReadOnlySpan<byte> encryptedData, Span<byte> destination, FideliusNonce requesterNonce,
        FideliusNonce senderNonce, FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey)
    {
        RequireTag(encryptedData.Length);
        using var session = FideliusSession.ForRequester(requesterNonce, senderNonce, requesterPrivateKey, senderPublicKey);
        return session.Decrypt(encryptedData, destination);
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> encryptedData, FideliusNonce requesterNonce, FideliusNonce senderNonce,
        FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey)
    {
        RequireTag(encryptedData.Length);
        var result = GC.AllocateUninitializedArray<byte>(encryptedData.Length - TagSize);
        Decrypt(encryptedData, result, requesterNonce, senderNonce, requesterPrivateKey, senderPublicKey);
        return result;
    }

    /// <summary>Largest plaintext a base64 text of this length can hold (size a destination with it).</summary>
    public static int GetMaxPlaintextLength(int base64Length) => Math.Max(0, base64Length / 4 * 3 - TagSize);

    /// <summary>
    /// Decodes base64 and decrypts into <paramref name="destination"/> (see <see cref="GetMaxPlaintextLength"/>);
    /// returns the plaintext length. The decoded ciphertext is staged in a pooled buffer.
    /// </summary>
    public static int DecryptFromBase64(ReadOnlySpan<char> encryptedData, Span<byte> destination,
        FideliusNonce requesterNonce, FideliusNonce senderNonce, FideliusPrivateKey requesterPrivateKey,
        FideliusPublicKey senderPublicKey)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, encryptedData.Length / 4 * 3 + 3));
        try
        {
            var length = DecodeCiphertext(encryptedData, buffer);
            return Decrypt(buffer.AsSpan(0, length), destination, requesterNonce, senderNonce, requesterPrivateKey,
                senderPublicKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static byte[] DecryptFromBase64(ReadOnlySpan<char> encryptedData, FideliusNonce requesterNonce,
        FideliusNonce senderNonce, FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, encryptedData.Length / 4 * 3 + 3));
        try
        {
            var length = DecodeCiphertext(encryptedData, buffer);
            return Decrypt(buffer.AsSpan(0, length), requesterNonce, senderNonce, requesterPrivateKey, senderPublicKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decrypts base64 and reads the plaintext as UTF-8 (invalid sequences become U+FFFD, as in Java): the data-push
    /// path's receiving end. One pooled buffer holds the decoded ciphertext and is decrypted in place (and wiped).
    /// </summary>
    public static string DecryptToString(ReadOnlySpan<char> encryptedData, FideliusNonce requesterNonce,
        FideliusNonce senderNonce, FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, encryptedData.Length / 4 * 3 + 3));
        var length = 0;
        try
        {
            var ciphertext = DecodeCiphertext(encryptedData, buffer);
            RequireTag(ciphertext);
            using (var session = FideliusSession.ForRequester(requesterNonce, senderNonce, requesterPrivateKey, senderPublicKey))
            {
                length = session.Decrypt(buffer.AsSpan(0, ciphertext), buffer);
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Decodes base64 given as UTF-8 (as it sits in the received JSON) and decrypts into <paramref name="destination"/>;
    /// returns the plaintext length. Same acceptance and errors as <see cref="DecryptFromBase64(ReadOnlySpan{char}, Span{byte}, FideliusNonce, FideliusNonce, FideliusPrivateKey, FideliusPublicKey)"/>.
    /// </summary>
    public static int DecryptFromBase64Utf8(ReadOnlySpan<byte> base64Utf8, Span<byte> destination, FideliusNonce requesterNonce,
        FideliusNonce senderNonce, FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64Utf8.Length / 4 * 3 + 3));
        try
        {
            var length = DecodeCiphertextUtf8(base64Utf8, buffer);
            return Decrypt(buffer.AsSpan(0, length), destination, requesterNonce, senderNonce, requesterPrivateKey, senderPublicKey);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>As above, into a pooled buffer: dispose the result to wipe it and give it back.</summary>
    public static PooledPlaintext DecryptFromBase64Utf8ToPool(ReadOnlySpan<byte> base64Utf8, FideliusNonce requesterNonce,
        FideliusNonce senderNonce, FideliusPrivateKey requesterPrivateKey, FideliusPublicKey senderPublicKey)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64Utf8.Length / 4 * 3 + 3));
        try
        {
            var ciphertext = DecodeCiphertextUtf8(base64Utf8, buffer);
            RequireTag(ciphertext);
            using var session = FideliusSession.ForRequester(requesterNonce, senderNonce, requesterPrivateKey, senderPublicKey);
            return new PooledPlaintext(buffer, session.Decrypt(buffer.AsSpan(0, ciphertext), buffer));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static int DecodeCiphertext(ReadOnlySpan<char> base64, Span<byte> buffer) =>
        Base64Text.TryDecode(base64.Trim(), buffer, out var length)
            ? length
            : throw new FideliusException(FideliusErrorCodes.InvalidCiphertext, "The encrypted data is not valid base64.");

    // Decoded before any key agreement, as the char overloads do, so a bad text fails the same way and as cheaply.
    private static int DecodeCiphertextUtf8(ReadOnlySpan<byte> base64Utf8, Span<byte> buffer) =>
        Base64Text.TryDecodeUtf8(base64Utf8, buffer, out var length)
            ? length
            : throw new FideliusException(FideliusErrorCodes.InvalidCiphertext, "The encrypted data is not valid base64.");

    private static void RequireTag(int length)
    {
        if (length < TagSize)
        {
            throw new FideliusException(FideliusErrorCodes.InvalidCiphertext, "The encrypted data is too short.",
                $"Fidelius data carries a {TagSize}-byte tag; {length} bytes were given.");
        }
    }
}
