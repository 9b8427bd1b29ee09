using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Ndhm.Privacy;

/// <summary>
/// Encrypts large payloads (FHIR bundles, uploaded documents) as a stream of AES-256-GCM chunks, so a 10 MiB blob is
/// never held whole, let alone twice. Layout:
/// <c>"NDHMENC1" | keyIdLength(1) | keyId | keyVersion(4) | chunkSize(4) | noncePrefix(8)</c>, then chunks
/// <c>final(1) | plaintextLength(4) | ciphertext | tag(16)</c>. Chunk i's nonce is <c>noncePrefix | i</c>; its associated
/// data binds the scope, object id, header, index and final flag, so chunks cannot be reordered, dropped, truncated
/// at the end or moved to another object.
/// </summary>
public sealed class StreamCipher(DataKeyRing ring)
{
    public const int DefaultChunkSize = 64 * 1024;
    private const int MaxChunkSize = 4 * 1024 * 1024;
    private static readonly byte[] Magic = "NDHMENC1"u8.ToArray();

    public async Task EncryptAsync(DataKeyScope scope, string objectId, Stream plaintext, Stream destination, CancellationToken ct,
        int chunkSize = DefaultChunkSize)
    {
        if (chunkSize is <= 0 or > MaxChunkSize) throw new ArgumentOutOfRangeException(nameof(chunkSize));
        using var key = await ring.ForEncryptionAsync(scope, ct).ConfigureAwait(false);
        var header = Header(key.KeyId, key.Version, chunkSize);
        await destination.WriteAsync(header, ct).ConfigureAwait(false);
        using var aes = new AesGcm(key.Key, FieldCipher.TagSize);
        var current = new byte[chunkSize];
        var next = new byte[chunkSize];
        var output = new byte[5 + chunkSize + FieldCipher.TagSize];
        var currentLength = await ReadFullAsync(plaintext, current, ct).ConfigureAwait(false);
        for (long index = 0; ; index++)
        {
            var nextLength = currentLength == chunkSize ? await ReadFullAsync(plaintext, next, ct).ConfigureAwait(false) : 0;
            var final = nextLength == 0;
            output[0] = final ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(1, 4), currentLength);
            aes.Encrypt(Nonce(header, index), current.AsSpan(0, currentLength), output.AsSpan(5, currentLength),
                output.AsSpan(5 + currentLength, FieldCipher.TagSize), ChunkData(scope, objectId, header, index, final));
            await destination.WriteAsync(output.AsMemory(0, 5 + currentLength + FieldCipher.TagSize), ct).ConfigureAwait(false);
            CryptographicOperations.ZeroMemory(current);
            if (final) break;
            (current, next, currentLength) = (next, current, nextLength);
        }
    }

    public async Task DecryptAsync(DataKeyScope scope, string objectId, Stream ciphertext, Stream destination, CancellationToken ct)
    {
        var fixedPart = new byte[Magic.Length + 1];
        if (await ReadFullAsync(ciphertext, fixedPart, ct).ConfigureAwait(false) != fixedPart.Length || !fixedPart.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CiphertextIntegrityException("The stream is not an NDHMENC1 ciphertext.");
        var rest = new byte[fixedPart[^1] + 16];
        if (await ReadFullAsync(ciphertext, rest, ct).ConfigureAwait(false) != rest.Length) throw Truncated();
        var header = fixedPart.Concat(rest).ToArray();
        var keyId = Encoding.ASCII.GetString(rest, 0, fixedPart[^1]);
        var version = BinaryPrimitives.ReadInt32BigEndian(rest.AsSpan(fixedPart[^1], 4));
        var chunkSize = BinaryPrimitives.ReadInt32BigEndian(rest.AsSpan(fixedPart[^1] + 4, 4));
        if (chunkSize is <= 0 or > MaxChunkSize) throw new CiphertextIntegrityException("The stream's chunk size is out of range.");

        using var key = await ring.ForDecryptionAsync(scope, keyId, version, ct).ConfigureAwait(false);
        using var aes = new AesGcm(key.Key, FieldCipher.TagSize);
        var prefix = new byte[5];
        var sealedChunk = new byte[chunkSize + FieldCipher.TagSize];
        var plain = new byte[chunkSize];
        for (long index = 0; ; index++)
        {
            if (await ReadFullAsync(ciphertext, prefix, ct).ConfigureAwait(false) != prefix.Length) throw Truncated();
            var final = prefix[0] switch
            {
                0 => false,
                1 => true,
                _ => throw new CiphertextIntegrityException("A chunk's final flag is invalid."),
            };
            var length = BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1));
            if (length < 0 || length > chunkSize) throw new CiphertextIntegrityException("A chunk's length is out of range.");
            if (await ReadFullAsync(ciphertext, sealedChunk.AsMemory(0, length + FieldCipher.TagSize), ct).ConfigureAwait(false)
                != length + FieldCipher.TagSize) throw Truncated();
            try
            {
                aes.Decrypt(Nonce(header, index), sealedChunk.AsSpan(0, length), sealedChunk.AsSpan(length, FieldCipher.TagSize),
                    plain.AsSpan(0, length), ChunkData(scope, objectId, header, index, final));
            }
            catch (AuthenticationTagMismatchException e)
            {
                throw new CiphertextIntegrityException("A chunk does not authenticate for this subject and object (tampered, reordered or moved).", e);
            }

            await destination.WriteAsync(plain.AsMemory(0, length), ct).ConfigureAwait(false);
            CryptographicOperations.ZeroMemory(plain);
            if (!final) continue;
            if (await ciphertext.ReadAsync(prefix.AsMemory(0, 1), ct).ConfigureAwait(false) != 0)
                throw new CiphertextIntegrityException("Data follows the final chunk.");
            return;
        }
    }

    private static byte[] Header(string keyId, int version, int chunkSize)
    {
        var id = Encoding.ASCII.GetBytes(keyId);
        var header = new byte[Magic.Length + 1 + id.Length + 16];
        Magic.CopyTo(header, 0);
        header[Magic.Length] = checked((byte)id.Length);
        id.CopyTo(header, Magic.Length + 1);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(Magic.Length + 1 + id.Length), version);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(Magic.Length + 5 + id.Length), chunkSize);
        RandomNumberGenerator.Fill(header.AsSpan(header.Length - 8));
        return header;
    }

    private static byte[] Nonce(byte[] header, long index)
    {
        var nonce = new byte[FieldCipher.NonceSize];
        header.AsSpan(header.Length - 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), checked((uint)index));
        return nonce;
    }

    private static byte[] ChunkData(DataKeyScope scope, string objectId, byte[] header, long index, bool final)
    {
        var bound = FieldCipher.AssociatedData(scope, objectId, "blob", "chunk", 1);
        var data = new byte[bound.Length + header.Length + 9];
        bound.CopyTo(data, 0);
        header.CopyTo(data, bound.Length);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(bound.Length + header.Length), index);
        data[^1] = final ? (byte)1 : (byte)0;
        return data;
    }

    private static async Task<int> ReadFullAsync(Stream source, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (read == 0) break;
            total += read;
        }

        return total;
    }

    private static CiphertextIntegrityException Truncated() => new("The ciphertext stream is truncated.");
}
