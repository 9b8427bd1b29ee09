using System.Security.Cryptography;

namespace Ndhm.Phr.Documents;

/// <summary>
/// A read-only stream over an upload that checks it as it is read: the size limit (DOCUMENT_TOO_LARGE as soon as it
/// is passed, without reading further), the content scan, and the SHA-256 and length of what passed. Whoever stores
/// the document reads through it, so nothing is stored that was not inspected; a refusal surfaces as the store's read failing.
/// </summary>
public sealed class InspectedUpload : Stream
{
    private readonly Stream source;
    private readonly long maxBytes;
    private readonly DocumentContentScanner scanner;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? prefix;
    private int prefixOffset;
    private bool completed;
    private string? sha256;

    /// <param name="prefix">Bytes already read from <paramref name="source"/> (the sniffed header), served first.</param>
    public InspectedUpload(ReadOnlyMemory<byte> prefix, Stream source, DocumentType type, long maxBytes)
    {
        this.prefix = prefix.ToArray();
        this.source = source;
        this.maxBytes = maxBytes;
        scanner = new DocumentContentScanner(type);
    }

    public long BytesRead { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the whole content; only once the stream was read to its end.</summary>
    public string Sha256 => sha256 ?? throw new InvalidOperationException("The upload was not read to its end.");

    public bool IsComplete => completed;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || completed) return 0;
        int read;
        if (prefix is not null && prefixOffset < prefix.Length)
        {
            read = Math.Min(buffer.Length, prefix.Length - prefixOffset);
            prefix.AsMemory(prefixOffset, read).CopyTo(buffer);
            prefixOffset += read;
            if (prefixOffset == prefix.Length) prefix = null;
        }
        else
        {
            read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        if (read == 0)
        {
            scanner.Complete();
            completed = true;
            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            return 0;
        }

        BytesRead += read;
        if (BytesRead > maxBytes) throw PhrErrors.TooLarge(maxBytes);
        var chunk = buffer.Span[..read];
        scanner.Inspect(chunk);
        hash.AppendData(chunk);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) hash.Dispose();
        base.Dispose(disposing);
    }
}
