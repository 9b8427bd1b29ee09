using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Keys;
using Ndhm.Phr.Documents;
using Ndhm.Privacy;

namespace Ndhm.Benchmarks.Phr;

/// <summary>
/// What the PHR's upload checks cost per document next to a plain copy, in one run, at 256 KiB (the inline
/// threshold), 1 MiB and 10 MiB (the limit): SHA-256 alone, the inspected read (sniffed type, content scan, SHA-256) of a
/// JPEG and of a PDF (the PDF adds the name scan, byte by byte), and the inspected read streamed through the chunked
/// cipher (all an upload costs in process before Blob storage). MB/s and the ratio to the plain copy are printed.
/// <code>dotnet run -c Release --project tests/Ndhm.Benchmarks -- phr [--iterations N]</code>
/// </summary>
public static class PhrUploadBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = Array.IndexOf(args, "--iterations") is var i and >= 0 && i + 1 < args.Length
            ? int.Parse(args[i + 1], CultureInfo.InvariantCulture)
            : 20;
        var ring = new DataKeyRing(new MemoryStore(), new InProcessWrapper(), new DataKeyCache(new PrivacyOptions(), TimeProvider.System), TimeProvider.System);
        var cipher = new StreamCipher(ring);
        var scope = DataKeyScope.Patient("91123456789012");
        var ct = CancellationToken.None;
        Console.WriteLine($"phr upload benchmark: {iterations} iterations per case (after warm-up), {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"size",-10}{"case",-40}{"ms/op",10}{"MB/s",10}{"× copy",9}");
        foreach (var size in new[] { 256 * 1024, 1024 * 1024, 10 * 1024 * 1024 })
        {
            var jpeg = Content(size, [0xFF, 0xD8, 0xFF, 0xE0]);
            var pdf = Content(size, "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 0 obj\n<< /Length 9 >>\nstream\n"u8.ToArray());
            var cases = new List<(string Case, double Ms)>
            {
                ("plain copy", await MeasureAsync(iterations, async () => await new MemoryStream(jpeg).CopyToAsync(new MemoryStream(size), ct))),
                ("SHA-256 only", await MeasureAsync(iterations, () => Task.FromResult(SHA256.HashData(jpeg)))),
                ("inspected read, JPEG", await MeasureAsync(iterations, () => InspectAsync(jpeg, DocumentType.Jpeg, Stream.Null, ct))),
                ("inspected read, PDF", await MeasureAsync(iterations, () => InspectAsync(pdf, DocumentType.Pdf, Stream.Null, ct))),
                ("inspected read + encrypt, JPEG", await MeasureAsync(iterations, async () =>
                {
                    await using var upload = Inspected(jpeg, DocumentType.Jpeg);
                    await cipher.EncryptAsync(scope, "health-records/bench", upload, new MemoryStream(size + 4096), ct);
                })),
            };
            var baseline = cases[0].Ms;
            foreach (var (name, ms) in cases)
                Console.WriteLine($"{Label(size),-10}{name,-40}{ms,10:F2}{size / 1048576.0 / (ms / 1000),10:F0}{ms / baseline,9:F1}");
        }

        return 0;
    }

    private static InspectedUpload Inspected(byte[] content, DocumentType type) =>
        new(content.AsMemory(0, 16), new MemoryStream(content, 16, content.Length - 16, writable: false), type, 10 * 1024 * 1024);

    private static async Task InspectAsync(byte[] content, DocumentType type, Stream destination, CancellationToken ct)
    {
        await using var upload = Inspected(content, type);
        await upload.CopyToAsync(destination, 64 * 1024, ct);
    }

    /// <summary>The header, then bytes with no pattern the scan looks for (a repeating ramp), as compressed image or stream data would be.</summary>
    private static byte[] Content(int size, byte[] header)
    {
        var content = new byte[size];
        for (var i = 0; i < size; i++) content[i] = (byte)(i % 251);
        header.CopyTo(content, 0);
        return content;
    }

    private static string Label(int size) => size >= 1024 * 1024 ? $"{size / 1024 / 1024} MiB" : $"{size / 1024} KiB";

    private static async Task<double> MeasureAsync(int iterations, Func<Task> operation)
    {
        for (var i = 0; i < 3; i++) await operation();
        GC.Collect();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++) await operation();
        return watch.Elapsed.TotalMilliseconds / iterations;
    }

    private sealed class InProcessWrapper : IKeyWrapper
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
