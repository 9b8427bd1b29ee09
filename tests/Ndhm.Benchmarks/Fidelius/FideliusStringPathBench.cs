using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.DataTransfer;
using Ndhm.Fidelius;

namespace Ndhm.Benchmarks.Fidelius;

/// <summary>
/// <c>fidelius-paths [sizes-KiB...]</c>: for each payload size, in one run, raw AES-256-GCM with a ready key next to
/// Fidelius over spans (bytes in, bytes out) and over strings (the data-push path: the bundle's JSON text in, the
/// base64 <c>content</c> out, and back), each including its key agreement. Prints medians, "x raw" speeds (raw time /
/// path time, so 1.0 is raw AES-GCM speed) and the string/span time ratio; then the push path (the UTF-8 API the data
/// push uses: the bundle's UTF-8 bytes in, the base64 written as the entry's <c>content</c> into a reused body buffer;
/// back, the body's UTF-8 parsed and the content decrypted into a pooled buffer) and the push/span ratio (goal: at
/// most 2). Run:
/// <c>dotnet run -c Release --project tests/Ndhm.Benchmarks -- fidelius-paths</c>.
/// </summary>
public static class FideliusStringPathBench
{
    public static Task<int> RunAsync(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture) * 1024).ToArray() : [10 * 1024, 1024 * 1024, 10 * 1024 * 1024];
        Console.WriteLine($"Fidelius paths vs raw AES-256-GCM ({Environment.ProcessorCount} cores, load average {LoadAverage()}, .NET {Environment.Version})");
        Console.WriteLine("medians (fastest run in brackets: the cost without the collector's and the scheduler's pauses)");
        Console.WriteLine($"{"size",8} {"operation",-8} {"raw AES-GCM",12} {"span path",12} {"string path",12} {"push path",12} {"span x raw",10} {"string x raw",12} {"push x raw",10} {"string/span",11} {"(fastest)",10} {"push/span",10} {"(fastest)",10}");
        var sender = FideliusKeyMaterial.Generate(TimeProvider.System);
        var requester = FideliusKeyMaterial.Generate(TimeProvider.System);
        foreach (var size in sizes)
        {
            // A JSON-like ASCII payload, as a serialized FHIR bundle is (its base64 attachments included).
            var text = Json(size);
            var plaintext = Encoding.UTF8.GetBytes(text);
            var cipher = new byte[plaintext.Length + FideliusCipher.TagSize];
            var output = new byte[plaintext.Length + FideliusCipher.TagSize];
            using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
            var iv = RandomNumberGenerator.GetBytes(12);
            var rawCipher = new byte[plaintext.Length + 16];
            aes.Encrypt(iv, plaintext, rawCipher.AsSpan(0, plaintext.Length), rawCipher.AsSpan(plaintext.Length, 16));
            FideliusCipher.Encrypt(plaintext, cipher, sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey);
            var content = FideliusCipher.EncryptToBase64(text, sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey);
            if (FideliusCipher.DecryptToString(content, requester.Nonce, sender.Nonce, requester.PrivateKey, sender.PublicKey) != text)
            {
                throw new InvalidOperationException("string path round trip failed");
            }

            // The push path: one body buffer reused call after call, as the HIP reuses it page after page.
            var body = new ArrayBufferWriter<byte>(FideliusCipher.GetBase64Length(plaintext.Length) + 64);
            using var writer = new Utf8JsonWriter(body);
            void Push()
            {
                body.ResetWrittenCount();
                writer.Reset(body);
                writer.WriteStartObject();
                writer.WriteStartArray("entries");
                writer.WriteStartObject();
                writer.WritePropertyName("content");
                FideliusCipher.WriteEncryptedBase64StringValue(writer, plaintext, sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey);
                writer.WriteEndObject();
                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.Flush();
            }

            Push();
            var received = body.WrittenMemory.ToArray();
            if (Encoding.UTF8.GetString(received) != "{\"entries\":[{\"content\":\"" + content + "\"}]}")
            {
                throw new InvalidOperationException("push path body differs from the string path's content");
            }

            int Receive()
            {
                var entry = DataPushBody.Parse(received)!.Entries![0];
                using var bundle = FideliusCipher.DecryptFromBase64Utf8ToPool(entry.Content!.Value.Span, requester.Nonce, sender.Nonce, requester.PrivateKey,
                    sender.PublicKey);
                return bundle.Length;
            }

            if (Receive() != plaintext.Length)
            {
                throw new InvalidOperationException("push path round trip failed");
            }

            var iterations = size >= 10 * 1024 * 1024 ? 15 : size >= 1024 * 1024 ? 60 : 400;
            var rawEnc = Median(iterations, () => aes.Encrypt(iv, plaintext, output.AsSpan(0, plaintext.Length), output.AsSpan(plaintext.Length, 16)));
            var spanEnc = Median(iterations, () => FideliusCipher.Encrypt(plaintext, output, sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey));
            var stringEnc = Median(iterations, () => FideliusCipher.EncryptToBase64(text, sender.Nonce, requester.Nonce, sender.PrivateKey, requester.PublicKey));
            var rawDec = Median(iterations, () => aes.Decrypt(iv, rawCipher.AsSpan(0, plaintext.Length), rawCipher.AsSpan(plaintext.Length, 16), output.AsSpan(0, plaintext.Length)));
            var spanDec = Median(iterations, () => FideliusCipher.Decrypt(cipher, output, requester.Nonce, sender.Nonce, requester.PrivateKey, sender.PublicKey));
            var stringDec = Median(iterations, () => FideliusCipher.DecryptToString(content, requester.Nonce, sender.Nonce, requester.PrivateKey, sender.PublicKey));
            var pushEnc = Median(iterations, Push);
            var pushDec = Median(iterations, () => Receive());
            Print(size, "encrypt", rawEnc, spanEnc, stringEnc, pushEnc);
            Print(size, "decrypt", rawDec, spanDec, stringDec, pushDec);
        }

        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return Task.FromResult(0);
    }

    private static void Print(int size, string operation, (double Median, double Min) raw, (double Median, double Min) span, (double Median, double Min) text,
        (double Median, double Min) push) =>
        Console.WriteLine($"{Size(size),8} {operation,-8} {Us(raw.Median),12} {Us(span.Median),12} {Us(text.Median),12} {Us(push.Median),12} " +
            $"{raw.Median / span.Median,9:F2}x {raw.Median / text.Median,11:F2}x {raw.Median / push.Median,9:F2}x {text.Median / span.Median,11:F2} " +
            $"{"(" + (text.Min / span.Min).ToString("F2", CultureInfo.InvariantCulture) + ")",10} {push.Median / span.Median,10:F2} " +
            $"{"(" + (push.Min / span.Min).ToString("F2", CultureInfo.InvariantCulture) + ")",10}");

    private static string Us(double ms) => ms >= 10 ? $"{ms:F1} ms" : $"{ms * 1000:F0} us";

    private static string Size(int bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MiB" : $"{bytes / 1024} KiB";

    private static (double Median, double Min) Median(int iterations, Action action)
    {
        for (var i = 0; i < Math.Max(5, iterations / 5); i++)
        {
            action();
        }

        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[iterations / 2], times[0]);
    }

    private static string Json(int size)
    {
        var builder = new StringBuilder(size + 64);
        builder.Append("{\"resourceType\":\"Bundle\",\"entry\":[");
        var data = Convert.ToBase64String(RandomNumberGenerator.GetBytes(size));
        var i = 0;
        while (builder.Length < size - 100)
        {
            builder.Append("{\"resource\":{\"resourceType\":\"Binary\",\"data\":\"")
                .Append(data, i % 1000, Math.Min(4000, size - builder.Length - 60 > 0 ? Math.Min(4000, size - builder.Length - 60) : 1))
                .Append("\"}},");
            i += 7;
        }

        builder.Append("{}]}");
        return builder.ToString();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
