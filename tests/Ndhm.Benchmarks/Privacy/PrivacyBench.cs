using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Keys;
using Ndhm.Infrastructure.Keys;
using Ndhm.Privacy;

namespace Ndhm.Benchmarks.Privacy;

/// <summary>
/// Cost per operation of envelope encryption next to the same operation without it, in one run:
/// writing (serialise) and reading (parse) a document with three personal fields, plaintext vs encrypted with a warm
/// key cache vs a cold one (cache emptied before every operation: data key record read + unwrap), and a 1 MiB blob
/// streamed plain vs through the chunked cipher.
/// <code>dotnet run -c Release --project tests/Ndhm.Benchmarks -- privacy [--iterations N] [--keyvault http://127.0.0.1:8443/ --token sandbox]</code>
/// Without <c>--keyvault</c> the data key is wrapped in-process with RSA-OAEP-256 (the vault's algorithm, no network),
/// so the cold figure is the crypto floor; with it, every cold operation unwraps through that Key Vault.
/// The data key store is in memory either way (a cold read in production adds one Cosmos point read, ~1 RU).
/// </summary>
public static class PrivacyBench
{
    private sealed record Doc(string Id, string Name, string? Mobile, string? Email, string? DateOfBirth);

    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Option(args, "--iterations") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 20_000;
        var coldIterations = Math.Max(50, iterations / (Option(args, "--keyvault") is null ? 20 : 200));
        IKeyWrapper wrapper = Option(args, "--keyvault") is { } vault
            ? VaultWrapper(new Uri(vault), Option(args, "--token") ?? "sandbox")
            : new InProcessRsaWrapper();
        var cache = new DataKeyCache(new PrivacyOptions(), TimeProvider.System);
        var ring = new DataKeyRing(new MemoryStore(), wrapper, cache, TimeProvider.System);
        var fields = new FieldCipher(ring);
        var streams = new StreamCipher(ring);
        var scope = DataKeyScope.Professional("71234567890123");
        var plain = new Doc("71234567890123", "Meera Kapoor", "9812345670", "dr.meera.kapoor@example.in", "1979-04-23");
        var ct = CancellationToken.None;

        async Task<string> WriteEncrypted()
        {
            var doc = plain with
            {
                Mobile = await fields.EncryptAsync(scope, plain.Id, "personal.mobile", plain.Mobile!, ct),
                Email = await fields.EncryptAsync(scope, plain.Id, "personal.email", plain.Email!, ct),
                DateOfBirth = await fields.EncryptAsync(scope, plain.Id, "personal.dateOfBirth", plain.DateOfBirth!, ct),
            };
            return JsonSerializer.Serialize(doc);
        }

        async Task<Doc> ReadEncrypted(string json)
        {
            var doc = JsonSerializer.Deserialize<Doc>(json)!;
            return doc with
            {
                Mobile = await fields.DecryptAsync(scope, doc.Id, "personal.mobile", doc.Mobile!, ct),
                Email = await fields.DecryptAsync(scope, doc.Id, "personal.email", doc.Email!, ct),
                DateOfBirth = await fields.DecryptAsync(scope, doc.Id, "personal.dateOfBirth", doc.DateOfBirth!, ct),
            };
        }

        var plainJson = JsonSerializer.Serialize(plain);
        var encryptedJson = await WriteEncrypted();
        var blob = RandomNumberGenerator.GetBytes(1024 * 1024);
        var sealedBlob = new MemoryStream();
        await streams.EncryptAsync(scope, "bundles/b1", new MemoryStream(blob), sealedBlob, ct);
        var sealedBytes = sealedBlob.ToArray();

        Console.WriteLine($"privacy benchmark: {iterations} iterations warm, {coldIterations} cold; wrapper {wrapper.GetType().Name}");
        var results = new List<(string Group, string Case, double Micros)>
        {
            ("write doc (3 personal fields)", "plaintext", await MeasureAsync(iterations, () => Task.FromResult(JsonSerializer.Serialize(plain)))),
            ("write doc (3 personal fields)", "encrypted, warm cache", await MeasureAsync(iterations, WriteEncrypted)),
            ("write doc (3 personal fields)", "encrypted, cold cache", await MeasureAsync(coldIterations, () => { cache.Clear(); return WriteEncrypted(); })),
            ("read doc (3 personal fields)", "plaintext", await MeasureAsync(iterations, () => Task.FromResult(JsonSerializer.Deserialize<Doc>(plainJson)!))),
            ("read doc (3 personal fields)", "encrypted, warm cache", await MeasureAsync(iterations, () => ReadEncrypted(encryptedJson))),
            ("read doc (3 personal fields)", "encrypted, cold cache", await MeasureAsync(coldIterations, () => { cache.Clear(); return ReadEncrypted(encryptedJson); })),
            ("1 MiB blob", "plaintext copy", await MeasureAsync(Math.Max(20, iterations / 200), async () =>
            {
                var output = new MemoryStream(blob.Length);
                await new MemoryStream(blob).CopyToAsync(output, ct);
                return output.Length;
            })),
            ("1 MiB blob", "encrypt, warm cache", await MeasureAsync(Math.Max(20, iterations / 200), async () =>
            {
                var output = new MemoryStream(blob.Length + 1024);
                await streams.EncryptAsync(scope, "bundles/b1", new MemoryStream(blob), output, ct);
                return output.Length;
            })),
            ("1 MiB blob", "decrypt, warm cache", await MeasureAsync(Math.Max(20, iterations / 200), async () =>
            {
                var output = new MemoryStream(blob.Length);
                await streams.DecryptAsync(scope, "bundles/b1", new MemoryStream(sealedBytes), output, ct);
                return output.Length;
            })),
        };

        Console.WriteLine();
        Console.WriteLine($"{"operation",-32}{"case",-26}{"µs/op",12}{"× plain",10}");
        foreach (var group in results.GroupBy(r => r.Group))
        {
            var baseline = group.First().Micros;
            foreach (var (g, c, micros) in group)
            {
                Console.WriteLine($"{g,-32}{c,-26}{micros,12:F2}{micros / baseline,10:F1}");
            }
        }

        return 0;
    }

    private static async Task<double> MeasureAsync<T>(int iterations, Func<Task<T>> operation)
    {
        for (var i = 0; i < Math.Min(iterations, 200); i++) await operation(); // warm-up: JIT, tiered compilation
        GC.Collect();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) await operation();
        return watch.Elapsed.TotalMicroseconds / iterations;
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static KeyVaultKeyWrapper VaultWrapper(Uri vault, string token)
    {
        var options = new KeyVaultOptions { VaultUri = vault, SigningKeyName = "ndhm-signing", WrappingKeyName = "ndhm-wrapping", LocalToken = token };
        return new KeyVaultKeyWrapper(KeyVaultKeysClient.Create(options), options, TimeProvider.System);
    }

    /// <summary>RSA-OAEP-256 with a local 2048-bit key: the vault's unwrap cost without its network round trip.</summary>
    private sealed class InProcessRsaWrapper : IKeyWrapper
    {
        private readonly RSA rsa = RSA.Create(2048);

        public Task<WrappedKey> WrapAsync(ReadOnlyMemory<byte> dataKey, CancellationToken ct) =>
            Task.FromResult(new WrappedKey("local/wrap/1", "RSA-OAEP-256", rsa.Encrypt(dataKey.ToArray(), RSAEncryptionPadding.OaepSHA256)));

        public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken ct) =>
            Task.FromResult(rsa.Decrypt(wrapped.EncryptedKey, RSAEncryptionPadding.OaepSHA256));

        public Task<string> GetCurrentKeyIdAsync(CancellationToken ct) => Task.FromResult("local/wrap/1");
    }

    private sealed class MemoryStore : IDataKeyStore
    {
        private readonly ConcurrentDictionary<string, Versioned<DataKeyRecord>> records = new();

        public Task<Versioned<DataKeyRecord>?> FindAsync(DataKeyScope scope, CancellationToken ct) => Task.FromResult(records.GetValueOrDefault(scope.Value));

        public Task<Versioned<DataKeyRecord>?> TryCreateAsync(DataKeyRecord record, CancellationToken ct) =>
            Task.FromResult(records.TryAdd(record.Scope.Value, new Versioned<DataKeyRecord>(record, "1")) ? records[record.Scope.Value] : null);

        public Task<Versioned<DataKeyRecord>?> TryReplaceAsync(DataKeyRecord record, string ifMatch, CancellationToken ct) =>
            Task.FromResult<Versioned<DataKeyRecord>?>(records[record.Scope.Value] = new Versioned<DataKeyRecord>(record, "1"));

        public Task<IReadOnlyList<Versioned<DataKeyRecord>>> ListAsync(string? afterScope, int take, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<Versioned<DataKeyRecord>>>(records.Values.ToList());
    }
}
