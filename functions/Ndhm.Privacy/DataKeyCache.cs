using System.Security.Cryptography;

namespace Ndhm.Privacy;

/// <summary>
/// Unwrapped data keys, bounded by count (least recently used evicted) and age. Evicted keys are zeroed; callers get
/// a copy they zero themselves, so an eviction never pulls a key out from under an operation in flight.
/// </summary>
public sealed class DataKeyCache(PrivacyOptions options, TimeProvider time)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> recency = new();
    private readonly Lock gate = new();

    public int Count
    {
        get
        {
            lock (gate) return entries.Count;
        }
    }

    /// <summary>A copy of the cached key of <paramref name="scope"/> (the caller zeroes it), or null when absent or expired.</summary>
    public CachedDataKey? TryGet(DataKeyScope scope)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(scope.Value, out var node)) return null;
            if (time.GetUtcNow() >= node.Value.ExpiresAt)
            {
                RemoveNode(node);
                return null;
            }

            recency.Remove(node);
            recency.AddFirst(node);
            return new CachedDataKey(node.Value.KeyId, node.Value.Version, (byte[])node.Value.Key.Clone());
        }
    }

    /// <summary>Caches a copy of <paramref name="key"/>; the caller keeps (and zeroes) its own.</summary>
    public void Put(DataKeyScope scope, string keyId, int version, ReadOnlySpan<byte> key)
    {
        if (options.KeyCacheCapacity <= 0 || options.KeyCacheDuration <= TimeSpan.Zero) return;
        var entry = new Entry(scope.Value, keyId, version, key.ToArray(), time.GetUtcNow() + options.KeyCacheDuration);
        lock (gate)
        {
            if (entries.TryGetValue(scope.Value, out var existing)) RemoveNode(existing);
            while (entries.Count >= options.KeyCacheCapacity && recency.Last is { } oldest) RemoveNode(oldest);
            entries[scope.Value] = recency.AddFirst(entry);
        }
    }

    public void Evict(DataKeyScope scope)
    {
        lock (gate)
        {
            if (entries.TryGetValue(scope.Value, out var node)) RemoveNode(node);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            while (recency.First is { } node) RemoveNode(node);
        }
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        entries.Remove(node.Value.Scope);
        recency.Remove(node);
        CryptographicOperations.ZeroMemory(node.Value.Key);
    }

    private sealed record Entry(string Scope, string KeyId, int Version, byte[] Key, DateTimeOffset ExpiresAt);
}

/// <summary>An unwrapped data key on loan to one operation; disposing zeroes it.</summary>
public sealed class CachedDataKey(string keyId, int version, byte[] key) : IDisposable
{
    public string KeyId { get; } = keyId;

    public int Version { get; } = version;

    public ReadOnlySpan<byte> Key => key;

    public void Dispose() => CryptographicOperations.ZeroMemory(key);
}
