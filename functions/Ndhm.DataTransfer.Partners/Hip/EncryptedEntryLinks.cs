using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Ndhm.DataTransfer.Partners.Hip;

/// <summary>
/// An entry's encrypted content as the HIP publishes it behind a link (ABDM <c>EntryLink</c>): exactly the base64 text
/// (UTF-8) an inline entry's <c>content</c> would carry, under the same Fidelius session and checksum. Only ciphertext.
/// </summary>
public sealed record EncryptedEntry(string TransactionId, string CareContextReference, ReadOnlyMemory<byte> ContentBase64Utf8, DateTimeOffset ExpiresAt);

/// <summary>
/// Where a HIP keeps encrypted entries too large to push inline, for the HIU to fetch (<c>GET</c> the link; the body is
/// the entry's base64 content). The URL is a capability: unguessable, valid until <see cref="EncryptedEntry.ExpiresAt"/>
/// (the transfer's end), https (plain http only to loopback, for a sandbox). Anyone holding it may fetch the
/// ciphertext, which only the HIU's private key opens.
/// </summary>
public interface IEncryptedEntryPublisher
{
    Task<Uri> PublishAsync(EncryptedEntry entry, CancellationToken ct);
}

/// <summary>
/// Encrypted entries kept in memory under random 256-bit tokens (<c>{baseUrl}{token}</c>), for sample partners and tests;
/// a HIP serves <see cref="TryGet"/> at that path. A real HIP keeps them in its own storage (a blob with a short-lived
/// signed URL does the same).
/// </summary>
public sealed class InMemoryEncryptedEntryStore : IEncryptedEntryPublisher
{
    private readonly ConcurrentDictionary<string, (byte[] Content, DateTimeOffset ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private readonly Uri _baseUrl;
    private readonly TimeProvider _time;
    private int _fetches;

    /// <param name="baseUrl">Absolute; the token is appended to it (a trailing slash is added when missing).</param>
    public InMemoryEncryptedEntryStore(Uri baseUrl, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri) throw new ArgumentException("The base URL must be absolute.", nameof(baseUrl));
        _baseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _time = time;
    }

    /// <summary>Entries held now (expired ones are dropped on the next publish or read).</summary>
    public int Count => _entries.Count;

    /// <summary>How many times an entry was served.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    public Task<Uri> PublishAsync(EncryptedEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        DropExpired();
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        _entries[token] = (entry.ContentBase64Utf8.ToArray(), entry.ExpiresAt);
        return Task.FromResult(new Uri(_baseUrl, token));
    }

    /// <summary>The content published under <paramref name="token"/>, if it exists and has not expired.</summary>
    public bool TryGet(string? token, out ReadOnlyMemory<byte> content)
    {
        content = default;
        if (string.IsNullOrEmpty(token) || !_entries.TryGetValue(token, out var found)) return false;
        if (found.ExpiresAt <= _time.GetUtcNow())
        {
            _entries.TryRemove(token, out _);
            return false;
        }

        Interlocked.Increment(ref _fetches);
        content = found.Content;
        return true;
    }

    private void DropExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (token, entry) in _entries)
        {
            if (entry.ExpiresAt <= now) _entries.TryRemove(token, out _);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
