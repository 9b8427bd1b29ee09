using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Keys;
using Ndhm.Privacy;

namespace Ndhm.UnitTests.Privacy;

/// <summary>A wrapping key with versions, as Key Vault keeps them: wrap under the current one, unwrap under the one named.</summary>
internal sealed class FakeKeyWrapper : IKeyWrapper
{
    private readonly Dictionary<string, byte[]> versions = new();

    public FakeKeyWrapper() => Rotate();

    public string Current { get; private set; } = "";

    public int Unwraps { get; private set; }

    public string Rotate()
    {
        Current = "https://vault/keys/wrap/v" + (versions.Count + 1);
        versions[Current] = RandomNumberGenerator.GetBytes(32);
        return Current;
    }

    public Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken ct)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var sealedKey = new byte[dataKey.Length + 16];
        using var aes = new AesGcm(versions[Current], 16);
        aes.Encrypt(nonce, dataKey.Span, sealedKey.AsSpan(0, dataKey.Length), sealedKey.AsSpan(dataKey.Length));
        return Task.FromResult(new WrappedKey(Current, "TEST", nonce.Concat(sealedKey).ToArray()));
    }

    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken ct)
    {
        Unwraps++;
        var e = wrapped.EncryptedKey;
        var key = new byte[e.Length - 28];
        using var aes = new AesGcm(versions[wrapped.KeyId], 16);
        aes.Decrypt(e.AsSpan(0, 12), e.AsSpan(12, key.Length), e.AsSpan(12 + key.Length), key);
        return Task.FromResult(key);
    }

    public Task<string> GetCurrentKeyIdAsync(CancellationToken ct) => Task.FromResult(Current);
}

internal sealed class InMemoryDataKeyStore : IDataKeyStore
{
    private readonly ConcurrentDictionary<string, Versioned<DataKeyRecord>> records = new();
    private int etag;

    public IReadOnlyCollection<DataKeyRecord> All => records.Values.Select(r => r.Value).ToList();

    public Task<Versioned<DataKeyRecord>?> FindAsync(DataKeyScope scope, CancellationToken ct) =>
        Task.FromResult(records.TryGetValue(scope.Value, out var r) ? r : null);

    public Task<Versioned<DataKeyRecord>?> TryCreateAsync(DataKeyRecord record, CancellationToken ct)
    {
        var stored = new Versioned<DataKeyRecord>(record, NextETag());
        return Task.FromResult(records.TryAdd(record.Scope.Value, stored) ? stored : null);
    }

    public Task<Versioned<DataKeyRecord>?> TryReplaceAsync(DataKeyRecord record, string ifMatch, CancellationToken ct)
    {
        lock (records)
        {
            if (!records.TryGetValue(record.Scope.Value, out var existing) || existing.ETag != ifMatch) return Task.FromResult<Versioned<DataKeyRecord>?>(null);
            var stored = new Versioned<DataKeyRecord>(record, NextETag());
            records[record.Scope.Value] = stored;
            return Task.FromResult<Versioned<DataKeyRecord>?>(stored);
        }
    }

    public Task<IReadOnlyList<Versioned<DataKeyRecord>>> ListAsync(string? afterScope, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Versioned<DataKeyRecord>>>(records.Values
            .Where(r => afterScope is null || string.CompareOrdinal(r.Value.Scope.Value, afterScope) > 0)
            .OrderBy(r => r.Value.Scope.Value, StringComparer.Ordinal).Take(take).ToList());

    private string NextETag() => "\"" + Interlocked.Increment(ref etag) + "\"";
}

internal sealed class InMemoryCheckpoints : IRunCheckpoints
{
    public Dictionary<string, Versioned<RunCheckpoint>> Saved { get; } = new();

    public Task<Versioned<RunCheckpoint>?> FindAsync(string name, CancellationToken ct) => Task.FromResult(Saved.GetValueOrDefault(name));

    public Task<Versioned<RunCheckpoint>?> TrySaveAsync(RunCheckpoint checkpoint, string? ifMatch, CancellationToken ct)
    {
        if (Saved.GetValueOrDefault(checkpoint.Name)?.ETag != ifMatch) return Task.FromResult<Versioned<RunCheckpoint>?>(null);
        var stored = new Versioned<RunCheckpoint>(checkpoint, Guid.NewGuid().ToString());
        Saved[checkpoint.Name] = stored;
        return Task.FromResult<Versioned<RunCheckpoint>?>(stored);
    }
}

/// <summary>The privacy services wired as the platform wires them, over in-memory ports.</summary>
internal sealed class PrivacyRig
{
    public PrivacyRig(PrivacyOptions? options = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        Cache = new DataKeyCache(options ?? new PrivacyOptions(), Time);
        Ring = new DataKeyRing(Store, Wrapper, Cache, Time);
        Fields = new FieldCipher(Ring);
        Streams = new StreamCipher(Ring);
    }

    public TimeProvider Time { get; }
    public FakeKeyWrapper Wrapper { get; } = new();
    public InMemoryDataKeyStore Store { get; } = new();
    public InMemoryCheckpoints Checkpoints { get; } = new();
    public DataKeyCache Cache { get; }
    public DataKeyRing Ring { get; }
    public FieldCipher Fields { get; }
    public StreamCipher Streams { get; }

    public DataKeyRewrapJob RewrapJob() => new(Store, Ring, Wrapper, Checkpoints, Time);
}
