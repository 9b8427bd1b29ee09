using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Ndhm.Consent;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.Fhir;
using Ndhm.Fhir.Validation;
using Ndhm.Fidelius;

namespace Ndhm.Benchmarks.DataTransfer;

/// <summary>
/// The partner library's data path in one process, for 1 and 10 care contexts per transfer: the HIP side (build the
/// bundle JSON, fresh key material, encrypt, checksum, page) handing each page to the HIU side (decrypt, checksum,
/// validate against the ABDM profiles, sink), next to two floors measured in the same run: the same transfer without
/// FHIR validation (crypto + JSON only) and FHIR validation alone. Prints p50/p99 per transfer and the ratios.
/// <code>dotnet run -c Release --project tests/Ndhm.Benchmarks -- transfer [--iterations N]</code>
/// The push token check is stubbed (a fixed HIP): its cost is one ES256 verification per page, measured elsewhere.
/// Not measured here: the platform hop (cm/request, orchestration, hip/request), i.e. the end-to-end figure.
/// </summary>
public static class TransferBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var iterations = args.SkipWhile(a => a != "--iterations").Skip(1).FirstOrDefault() is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 40;
        var validator = AbdmFhirValidator.Shared;
        var cold = Stopwatch.StartNew();
        await validator.WarmUpAsync();
        Console.WriteLine($"validator warm-up (cold start): {cold.Elapsed.TotalMilliseconds:0} ms");
        var noValidation = new AcceptAll();
        foreach (var contexts in new[] { 1, 10 })
        {
            var full = await MeasureAsync(contexts, iterations, validator);
            var cryptoOnly = await MeasureAsync(contexts, iterations, noValidation);
            var validateOnly = await ValidateOnlyAsync(contexts, iterations, validator);
            Console.WriteLine($"{contexts,2} care context(s): transfer p50 {full.P50:0.0} ms p99 {full.P99:0.0} ms | without validation p50 {cryptoOnly.P50:0.0} ms p99 {cryptoOnly.P99:0.0} ms"
                              + $" | validation alone p50 {validateOnly.P50:0.0} ms | transfer/without-validation {full.P50 / cryptoOnly.P50:0.0}x, validation share {validateOnly.P50 / full.P50:P0}");
        }

        return 0;
    }

    private static async Task<(double P50, double P99)> MeasureAsync(int contexts, int iterations, IFhirDocumentValidator validator)
    {
        var times = new List<double>();
        for (var i = 0; i < iterations + 3; i++)
        {
            var hiuKeys = FideliusKeyMaterial.Generate(TimeProvider.System);
            var transactionId = Guid.NewGuid().ToString();
            var receiver = new HiuDataReceiver(new Contexts(new HiuTransferContext(transactionId, "artefact", "asha@sbx", new HashSet<string> { "IN2810014366" },
                DateTimeOffset.UtcNow.AddDays(30), hiuKeys)), new FixedHip(), new InMemoryPushPageLog(), validator, new Discard(), TimeProvider.System);
            var request = new HipTransferRequest(transactionId, "artefact", new DateRange(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow), "http://hiu.local/push",
                hiuKeys.ToAbdm(), "token");
            var records = Enumerable.Range(0, contexts).Select(c => new HipHealthRecord($"CC-{c}", SampleRecords.Prescription("asha@sbx", "IN2810014366", DateTimeOffset.UtcNow))).ToList();
            var clock = Stopwatch.StartNew();
            var result = await new HipDataSender(new HttpClient(new Handoff(receiver)), TimeProvider.System).SendAsync(request, records, CancellationToken.None);
            clock.Stop();
            if (!result.AllDelivered) throw new InvalidOperationException(string.Join("; ", result.CareContexts.Select(c => c.Description)));
            if (i >= 3) times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Percentiles(times);
    }

    private static async Task<(double P50, double P99)> ValidateOnlyAsync(int contexts, int iterations, IFhirDocumentValidator validator)
    {
        var json = FhirJson.Serialize(SampleRecords.Prescription("asha@sbx", "IN2810014366", DateTimeOffset.UtcNow));
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var clock = Stopwatch.StartNew();
            for (var c = 0; c < contexts; c++) await validator.ValidateJsonAsync(json);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Percentiles(times);
    }

    private static (double P50, double P99) Percentiles(List<double> times)
    {
        times.Sort();
        return (times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.99) - 1)]);
    }

    private sealed class Contexts(HiuTransferContext context) : IHiuTransferContexts
    {
        public Task<HiuTransferContext?> FindAsync(string transactionId, CancellationToken ct) => Task.FromResult<HiuTransferContext?>(context);
    }

    private sealed class FixedHip : IPushAuthenticator
    {
        public Task<string?> AuthenticateAsync(string? bearerToken, string transactionId, CancellationToken ct) => Task.FromResult<string?>("IN2810014366");
    }

    private sealed class Discard : IDecryptedRecordSink
    {
        public Task AcceptAsync(DecryptedHealthRecord record, CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>The floor without FHIR validation: every bundle accepted unread.</summary>
    private sealed class AcceptAll : IFhirDocumentValidator
    {
        public Task WarmUpAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<FhirValidationResult> ValidateAsync(Hl7.Fhir.Model.Bundle bundle, CancellationToken cancellationToken = default) =>
            Task.FromResult(new FhirValidationResult([], TimeSpan.Zero));

        public Task<FhirValidationResult> ValidateJsonAsync(string json, CancellationToken cancellationToken = default) =>
            Task.FromResult(new FhirValidationResult([], TimeSpan.Zero));
    }

    /// <summary>The HTTP hop as a hand-off: the pushed JSON goes to the receiver (serialisation both ways included).</summary>
    private sealed class Handoff(HiuDataReceiver receiver) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var page = DataPushBody.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
            var received = await receiver.ReceiveAsync(page, "token", cancellationToken);
            return new HttpResponseMessage(received.Entries.All(e => e.Ok) ? HttpStatusCode.Accepted : HttpStatusCode.UnprocessableEntity)
            {
                Content = new StringContent(string.Join("; ", received.Entries.Select(e => e.Error)), Encoding.UTF8),
            };
        }
    }
}
