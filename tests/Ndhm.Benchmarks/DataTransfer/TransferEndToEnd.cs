using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using static Ndhm.Benchmarks.Consent.ConsentLoad;

namespace Ndhm.Benchmarks.DataTransfer;

/// <summary>
/// Issue #13's end-to-end figure: data transfers through a running sandbox with the sample partners, against a bare
/// Durable orchestration measured in the same run as the floor. Three phases, each <c>count</c> runs at a fixed
/// <c>concurrency</c>, after two warm-up runs of each (not counted; the HIU's FHIR validator starts cold):
/// <list type="bullet">
/// <item>floor: <c>POST /api/ops/durable-floor</c> (one orchestration, one activity) until
/// <c>GET /api/ops/orchestrations/{id}</c> says Completed;</item>
/// <item>1 and 10 care contexts: a granted artefact (consent made, granted, fetched by the clinic and held by the
/// hospital before the clock starts), then the sample clinic's <c>cm/request</c> until the clinic holds that many
/// decrypted, validated records under the artefact (<c>GET /clinic/health-records?consentId=</c>, the HIU-side
/// library's own store).</item>
/// </list>
/// Each latency is measured twice: polled (the client polls both ends every <c>pollMs</c>, so both carry the same
/// polling granularity) and stamped (the end recorded where it happened: the host's <c>lastUpdatedAt</c> of the
/// completed orchestration, the clinic's <c>receivedAt</c> of the last record; same machine, same clock as the start).
/// Then where the transfer's time goes (the partners' inbox: HIU told its transaction id, HIP asked, first page pushed)
/// and the ratios to the floor against the issue's target (p50 of 1 care context within 4x the floor's).
/// Usage: dotnet Ndhm.Benchmarks.dll transfer-e2e hostUrl partnersUrl [count=20] [concurrency=4] [pollMs=20]
/// (local-emulators/transfer-bench.sh starts a sandbox of its own and runs it).
/// </summary>
public static class TransferEndToEnd
{
    private const string Patient = "HOSP-MRN-1001";
    private const double Target = 4.0;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var host = new Uri((args.Length > 0 ? args[0] : "http://127.0.0.1:7071").TrimEnd('/') + "/");
        var partnersUrl = new Uri((args.Length > 1 ? args[1] : "http://127.0.0.1:7072").TrimEnd('/') + "/");
        var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 4;
        var poll = TimeSpan.FromMilliseconds(args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 20);
        if (!IPAddress.IsLoopback(IPAddress.Parse(host.Host)) || !IPAddress.IsLoopback(IPAddress.Parse(partnersUrl.Host)))
        {
            Console.Error.WriteLine("transfer-e2e runs against loopback addresses only (127.0.0.1): it adds care contexts to a sample patient");
            return 2;
        }

        using var platform = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(120) };
        using var partners = new HttpClient { BaseAddress = partnersUrl, Timeout = TimeSpan.FromSeconds(120) };
        var bench = await Bench.PrepareAsync(platform, partners, poll);
        Console.WriteLine($"transfer-e2e: {count} runs per phase at concurrency {concurrency}, polled every {poll.TotalMilliseconds:F0} ms, " +
                          $"{Environment.ProcessorCount} cores, load average {LoadAverage()}");

        // Warm-up: JIT, sessions, the HIU's validator (cold start can be a minute in Debug), the durable queues.
        await bench.FloorAsync();
        await bench.FloorAsync();
        foreach (var careContexts in new[] { 1, 10 })
        {
            foreach (var artefact in await bench.GrantManyAsync(careContexts, 2, concurrency))
            {
                await bench.TransferAsync(artefact, careContexts);
            }
        }

        var floor = await PhaseAsync(count, concurrency, _ => bench.FloorAsync());
        var phases = new Dictionary<int, Phase>();
        foreach (var careContexts in new[] { 1, 10 })
        {
            // Consents first, all of them, so the measured phase is the data transfer alone.
            var artefacts = new ConcurrentQueue<string>(await bench.GrantManyAsync(careContexts, count, concurrency));
            phases[careContexts] = await PhaseAsync(count, concurrency,
                _ => bench.TransferAsync(artefacts.TryDequeue(out var a) ? a : throw new InvalidOperationException("no artefact left"), careContexts));
        }

        Console.WriteLine($"load average after the run: {LoadAverage()}");
        Console.WriteLine($"{"phase",-26} {"n",4} {"per min",8} {"polled p50",11} {"p99",7} {"stamped p50",12} {"p99",7}");
        Row("floor (1 orch., 1 activity)", floor);
        Row("transfer, 1 care context", phases[1]);
        Row("transfer, 10 care contexts", phases[10]);
        Console.WriteLine("  polled: client start -> the client's poll sees it done; stamped: client start -> the host's lastUpdatedAt of the " +
                          "completed orchestration / the clinic's receivedAt of its last record (decrypted, validated)");

        await bench.PrintBreakdownAsync(phases[1], "1 care context");
        await bench.PrintBreakdownAsync(phases[10], "10 care contexts");

        var met = true;
        foreach (var (name, pick) in new (string, Func<Phase, List<double>>)[] { ("polled", p => p.Polled), ("stamped", p => p.Stamped) })
        {
            var floorP50 = P(pick(floor), 0.5);
            var one = P(pick(phases[1]), 0.5) / floorP50;
            var ten = P(pick(phases[10]), 0.5) / floorP50;
            Console.WriteLine($"ratio ({name}): p50(1 CC)/p50(floor) = {one:F2}x, p50(10 CC)/p50(floor) = {ten:F2}x; " +
                              $"target p50(1 CC) <= {Target}x floor: {(one <= Target ? "met" : "MISSED")}");
            met &= one <= Target;
        }

        return met ? 0 : 1;
    }

    private static void Row(string name, Phase phase) =>
        Console.WriteLine($"{name,-26} {phase.Polled.Count,4} {phase.PerMinute,8:F1} {P(phase.Polled, 0.5),11:F0} {P(phase.Polled, 0.99),7:F0} " +
                          $"{P(phase.Stamped, 0.5),12:F0} {P(phase.Stamped, 0.99),7:F0}");

    private static async Task<Phase> PhaseAsync(int count, int concurrency, Func<int, Task<Sample>> run)
    {
        var samples = new ConcurrentBag<Sample>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) => samples.Add(await run(i)));
        var elapsed = clock.Elapsed;
        return new Phase([.. samples], count / elapsed.TotalMinutes);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double P(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
    }

    private sealed record Sample(string Id, DateTimeOffset StartedAt, double PolledMs, double StampedMs);

    private sealed record Phase(IReadOnlyList<Sample> Samples, double PerMinute)
    {
        public List<double> Polled => Samples.Select(s => s.PolledMs).ToList();

        public List<double> Stamped => Samples.Select(s => s.StampedMs).ToList();
    }

    /// <summary>The sandbox as the run needs it: Asha Verma with 10 linked care contexts at the sample hospital, an admin token.</summary>
    private sealed class Bench(HttpClient platform, HttpClient partners, TimeSpan poll)
    {
        private readonly string[] careContexts = ["OP-2025-0412", .. Enumerable.Range(1, 9).Select(i => $"BENCH-CC-{i:D2}")];
        private string patient = "", address = "", hospital = "", admin = "";

        public static async Task<Bench> PrepareAsync(HttpClient platform, HttpClient partners, TimeSpan poll)
        {
            var bench = new Bench(platform, partners, poll);
            await bench.SetUpAsync();
            return bench;
        }

        private async Task SetUpAsync()
        {
            patient = await EnrolAshaAsync(platform);
            address = (await GetAsync(platform, "api/v3/profile/account", patient)).GetProperty("preferredAbhaAddress").GetString()!;
            hospital = (await GetAsync(partners, "partners", null)).GetProperty("partners").EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == "hospital").GetProperty("facilityId").GetString()!;
            // Nine more visits at the hospital (its counter records them), then all ten linked to her ABHA address.
            foreach (var reference in careContexts.Skip(1))
            {
                await PostAsync(partners, $"hospital/patients/{Patient}/care-contexts", null,
                    new { referenceNumber = reference, display = $"Benchmark visit {reference}", hiTypes = new[] { "Prescription" } });
            }

            await EnsureLinkedAsync(platform, partners, patient, hospital, careContexts);
            admin = (await PostAsync(platform, "api/sandbox/tokens", null, new { subject = "transfer-bench-admin", roles = new[] { "PLATFORM_ADMIN" } }))
                .GetProperty("accessToken").GetString()!;
        }

        /// <summary>One bare orchestration with one activity, from the admin's POST to Completed.</summary>
        public async Task<Sample> FloorAsync()
        {
            var startedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var id = (await PostAsync(platform, "api/ops/durable-floor", admin, new { })).GetProperty("instanceId").GetString()!;
            var done = await UntilAsync(() => GetAsync(platform, $"api/ops/orchestrations/{id}", admin), o => o.GetProperty("runtimeStatus").GetString() switch
            {
                "Completed" => true,
                "Failed" or "Terminated" => throw new InvalidOperationException("the floor orchestration ended " + o),
                _ => false,
            });
            var polled = clock.Elapsed.TotalMilliseconds;
            var stamped = (done.GetProperty("lastUpdatedAt").GetDateTimeOffset() - startedAt).TotalMilliseconds;
            return new Sample(id, startedAt, polled, stamped);
        }

        /// <summary>Granted artefacts over the first n care contexts, each fetched by the clinic and held by the hospital.</summary>
        public async Task<List<string>> GrantManyAsync(int n, int count, int concurrency)
        {
            var artefacts = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (_, _) => artefacts.Add(await GrantAsync(n)));
            return [.. artefacts];
        }

        private async Task<string> GrantAsync(int n)
        {
            var asked = await PostAsync(partners, "clinic/consent-requests", null, new { patient = address, hip = "hospital", hiTypes = new[] { "Prescription", "OPConsultation" } });
            var requestId = asked.GetProperty("requestId").GetString()!;
            var requested = await UntilAsync(() => GetAsync(partners, $"clinic/consent-requests/{requestId}", null), r => r.GetProperty("status").GetString() != "SENT");
            var consentRequestId = requested.GetProperty("consentRequestId").GetString() ?? throw new InvalidOperationException("the clinic's request failed: " + requested);
            var granted = await PostAsync(platform, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", patient, new
            {
                hips = new[] { new { id = hospital, careContexts = careContexts.Take(n).Select(c => new { patientReference = Patient, careContextReference = c }).ToArray() } },
            });
            var artefact = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
            await UntilAsync(() => GetAsync(partners, $"clinic/consent-requests/{requestId}", null),
                r => r.GetProperty("artefacts").EnumerateArray().Any(a => a.GetProperty("id").GetString() == artefact && a.GetProperty("fetched").GetBoolean()));
            await UntilAsync(() => GetAsync(partners, "hospital/consents", null), c => c.GetProperty("consents").TryGetProperty(artefact, out _));
            return artefact;
        }

        /// <summary>The clinic's cm/request under the artefact until it holds all n records, decrypted and validated.</summary>
        public async Task<Sample> TransferAsync(string artefact, int n)
        {
            var startedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            await PostAsync(partners, "clinic/health-information-requests", null,
                new { consentId = artefact, from = "2016-01-01T00:00:00.000Z", to = "2020-01-01T00:00:00.000Z" });
            var held = await UntilAsync(() => GetAsync(partners, $"clinic/health-records?consentId={artefact}", null),
                r => r.GetProperty("records").GetArrayLength() >= n);
            var polled = clock.Elapsed.TotalMilliseconds;
            var records = held.GetProperty("records").EnumerateArray().ToList();
            var last = records.Max(r => r.GetProperty("receivedAt").GetDateTimeOffset());
            return new Sample(records[0].GetProperty("transactionId").GetString()!, startedAt, polled, (last - startedAt).TotalMilliseconds);
        }

        /// <summary>Where a transfer's time goes, from the partners' inbox (receive times, same clock), p50 of each step.</summary>
        public async Task PrintBreakdownAsync(Phase phase, string name)
        {
            async Task<Dictionary<string, (DateTimeOffset At, string? RequestId)>> FirstAsync(string partner, string path, Func<JsonElement, string?> transactionOf)
            {
                var entries = (await GetAsync(partners, $"inbox?partner={partner}&path={Uri.EscapeDataString(path)}&direction=received&max=5000", null))
                    .GetProperty("entries").EnumerateArray();
                var first = new Dictionary<string, (DateTimeOffset At, string? RequestId)>();
                foreach (var e in entries)
                {
                    if (e.GetProperty("body").ValueKind != JsonValueKind.Object || transactionOf(e.GetProperty("body")) is not { } id) continue;
                    var at = e.GetProperty("at").GetDateTimeOffset();
                    if (!first.TryGetValue(id, out var seen) || at < seen.At) first[id] = (at, e.TryGetProperty("requestId", out var r) ? r.GetString() : null);
                }

                return first;
            }

            var onRequest = await FirstAsync("clinic", "/v0.5/health-information/hiu/on-request",
                b => b.TryGetProperty("hiRequest", out var hi) && hi.ValueKind == JsonValueKind.Object ? hi.GetProperty("transactionId").GetString() : null);
            var hipRequest = await FirstAsync("hospital", "/v0.5/health-information/hip/request", b => b.GetProperty("transactionId").GetString());
            var pushed = await FirstAsync("clinic", "/v0.5/health-information/transfer", b => b.GetProperty("transactionId").GetString());
            // The platform's record of the hip/request delivery: when DataTransferStart enqueued it, when it was sent.
            var hospitalClient = (await GetAsync(partners, "partners", null)).GetProperty("partners").EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == "hospital").GetProperty("clientId").GetString()!;
            var enqueued = new ConcurrentDictionary<string, (DateTimeOffset Created, DateTimeOffset Attempted)>();
            await Parallel.ForEachAsync(phase.Samples, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (s, ct) =>
            {
                if (!hipRequest.TryGetValue(s.Id, out var asked) || asked.RequestId is null) return;
                var id = Ndhm.Gateway.Callbacks.CallbackDispatcher.DeliveryIdFor(hospitalClient, asked.RequestId, "/v0.5/health-information/hip/request");
                using var response = await partners.GetAsync($"hospital/deliveries/{Uri.EscapeDataString(id)}", ct);
                if (!response.IsSuccessStatusCode) return;
                var delivery = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
                enqueued[s.Id] = (delivery.GetProperty("createdAt").GetDateTimeOffset(), delivery.GetProperty("attempts")[0].GetProperty("at").GetDateTimeOffset());
            });
            var steps = new List<(string Step, List<double> Values)>
            {
                ("cm/request -> HIU gets on-request (transaction id)", []),
                ("cm/request -> HIP gets hip/request", []),
                ("  cm/request -> hip/request enqueued (orchestration, DataTransferStart)", []),
                ("  enqueued -> sent (queue; held until on-request is delivered)", []),
                ("hip/request -> first page at the HIU (HIP builds, encrypts, pushes)", []),
                ("first page -> last record held (HIU decrypts, validates)", []),
            };
            foreach (var s in phase.Samples)
            {
                if (!onRequest.TryGetValue(s.Id, out var told) || !hipRequest.TryGetValue(s.Id, out var asked) || !pushed.TryGetValue(s.Id, out var page)) continue;
                steps[0].Values.Add((told.At - s.StartedAt).TotalMilliseconds);
                steps[1].Values.Add((asked.At - s.StartedAt).TotalMilliseconds);
                if (enqueued.TryGetValue(s.Id, out var delivery))
                {
                    steps[2].Values.Add((delivery.Created - s.StartedAt).TotalMilliseconds);
                    steps[3].Values.Add((delivery.Attempted - delivery.Created).TotalMilliseconds);
                }

                steps[4].Values.Add((page.At - asked.At).TotalMilliseconds);
                steps[5].Values.Add(s.StampedMs - (page.At - s.StartedAt).TotalMilliseconds);
            }

            Console.WriteLine($"where the time goes, {name} (p50 / p99 ms, n={steps[0].Values.Count}):");
            foreach (var (step, values) in steps)
            {
                Console.WriteLine($"  {step,-70} {P(values, 0.5),7:F0} / {P(values, 0.99),7:F0}");
            }
        }

        private async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (true)
            {
                var last = await read();
                if (done(last)) return last;
                if (DateTime.UtcNow > deadline) throw new TimeoutException("never reached: " + last.ToString()[..Math.Min(300, last.ToString().Length)]);
                await Task.Delay(poll);
            }
        }
    }
}
