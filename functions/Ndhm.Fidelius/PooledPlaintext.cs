using System.Buffers;
using System.Security.Cryptography;

namespace Ndhm.Fidelius;

/// <summary>
/// Decrypted bytes in a buffer rented from <see cref="ArrayPool{T}.Shared"/>: large plaintexts stay off the
/// large-object heap. Dispose it when done; that wipes the plaintext before the buffer goes back to the pool.
/// </summary>
public sealed class PooledPlaintext : IDisposable
{
    private byte[]? _buffer;

    internal PooledPlaintext(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, Length);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledPlaintext));

    public void Dispose()
    {
        if (_buffer is not { } buffer) return;
        _buffer = null;
        CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Length));
        ArrayPool<byte>.Shared.Return(buffer);
    }
}
