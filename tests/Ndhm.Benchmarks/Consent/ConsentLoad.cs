using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ndhm.Benchmarks.Consent;

/// <summary>
/// Consent requests created, granted and notified per second, end to end on a running sandbox with the sample partners
/// (local-emulators/sandbox.sh): the sample clinic (HIU) sends <c>consent-requests/init</c>, waits for on-init, the
/// patient (Asha Verma, a sandbox KYC identity) grants, and the flow ends when the sample hospital has received
/// <c>consents/hip/notify</c> and the clinic <c>consents/hiu/notify</c> (their inboxes' receive times). In the same run,
/// the callback hop alone: each notification's delivery record (created, enqueued by the platform) to the partner's
/// receipt, split at the first attempt. Then profile shares (scan and share) per second: the patient's share to the
/// hospital's token number being visible to the patient.
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- consent-load [hostBaseUrl] [partnersUrl] [count] [concurrency] [shares]
/// </summary>
public static class ConsentLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var host = args.Length > 0 ? args[0].TrimEnd('/') + "/" : "http://127.0.0.1:7071/";
        var partnersUrl = args.Length > 1 ? args[1].TrimEnd('/') + "/" : "http://127.0.0.1:7072/";
        var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;
        var concurrency = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 8;
        var shares = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 50;
        using var platform = new HttpClient { BaseAddress = new Uri(host), Timeout = TimeSpan.FromSeconds(60) };
        using var partners = new HttpClient { BaseAddress = new Uri(partnersUrl), Timeout = TimeSpan.FromSeconds(60) };

        var patient = await EnrolAshaAsync(platform);
        var address = (await GetAsync(platform, "api/v3/profile/account", patient)).GetProperty("preferredAbhaAddress").GetString()!;
        var all = (await GetAsync(partners, "partners", null)).GetProperty("partners").EnumerateArray().ToList();
        string Field(string name, string field) => all.Single(p => p.GetProperty("name").GetString() == name).GetProperty(field).GetString()!;
        var hospital = Field("hospital", "facilityId");
        await EnsureLinkedAsync(platform, partners, patient, hospital, "OP-2025-0412");
        var grant = new
        {
            hips = new[] { new { id = hospital, careContexts = new[] { new { patientReference = "HOSP-MRN-1001", careContextReference = "OP-2025-0412" } } } },
        };

        // One flow: HIU asks -> on-init -> patient grants -> both notifications received.
        async Task<Flow> FlowAsync(CancellationToken ct)
        {
            var startedAt = DateTimeOffset.UtcNow;
            var asked = await PostAsync(partners, "clinic/consent-requests", null, new { patient = address, hip = "hospital", hiTypes = new[] { "OPConsultation" } });
            var requestId = asked.GetProperty("requestId").GetString()!;
            var requested = await UntilAsync(() => GetAsync(partners, $"clinic/consent-requests/{requestId}", null), r => r.GetProperty("status").GetString() != "SENT");
            var consentRequestId = requested.GetProperty("consentRequestId").GetString()
                                   ?? throw new InvalidOperationException("the clinic's request failed: " + requested);
            var requestedAt = DateTimeOffset.UtcNow;
            var granted = await PostAsync(platform, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", patient, grant);
            var grantedAt = DateTimeOffset.UtcNow;
            var artefact = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
            await UntilAsync(() => GetAsync(partners, $"clinic/consent-requests/{requestId}", null), r => r.GetProperty("status").GetString() == "GRANTED");
            await UntilAsync(() => GetAsync(partners, "hospital/consents", null), c => c.GetProperty("consents").TryGetProperty(artefact, out _));
            return new Flow(consentRequestId, artefact, startedAt, requestedAt, grantedAt);
        }

        // Warm up (JIT, sessions, caches; not counted).
        await Parallel.ForEachAsync(Enumerable.Range(0, Math.Min(4, concurrency)), async (_, ct) => { await FlowAsync(ct); });

        var flows = new ConcurrentBag<Flow>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (_, ct) => flows.Add(await FlowAsync(ct)));
        var elapsed = clock.Elapsed;

        // Receive times from the partners' inboxes, and each notification's delivery record for the hop alone.
        var hipNotices = await InboxAsync(partners, "hospital", "/v0.5/consents/hip/notify");
        var hiuNotices = await InboxAsync(partners, "clinic", "/v0.5/consents/hiu/notify");
        var endToEnd = new List<double>();
        var grantToNotified = new List<double>();
        var hops = new ConcurrentBag<(double Total, double ToAttempt, double Post)>();
        var hopTargets = new List<(string Partner, string ClientId, string Path, string RequestId, DateTimeOffset ReceivedAt)>();
        foreach (var flow in flows)
        {
            var hip = hipNotices.Where(n => n.Body.GetProperty("notification").GetProperty("consentId").GetString() == flow.Artefact
                                            && n.Body.GetProperty("notification").GetProperty("status").GetString() == "GRANTED").OrderBy(n => n.At).First();
            var hiu = hiuNotices.Where(n => n.Body.GetProperty("notification").GetProperty("consentRequestId").GetString() == flow.ConsentRequestId
                                            && n.Body.GetProperty("notification").GetProperty("status").GetString() == "GRANTED").OrderBy(n => n.At).First();
            var notified = hip.At > hiu.At ? hip.At : hiu.At;
            endToEnd.Add((notified - flow.StartedAt).TotalMilliseconds);
            grantToNotified.Add((notified - flow.GrantedAt).TotalMilliseconds);
            hopTargets.Add(("hospital", Field("hospital", "clientId"), "/v0.5/consents/hip/notify", hip.RequestId, hip.At));
            hopTargets.Add(("clinic", Field("clinic", "clientId"), "/v0.5/consents/hiu/notify", hiu.RequestId, hiu.At));
        }

        await Parallel.ForEachAsync(hopTargets, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (t, ct) =>
        {
            var id = Ndhm.Gateway.Callbacks.CallbackDispatcher.DeliveryIdFor(t.ClientId, t.RequestId, t.Path);
            using var response = await partners.GetAsync($"{t.Partner}/deliveries/{id}", ct);
            if (!response.IsSuccessStatusCode) return;
            var delivery = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            var created = delivery.GetProperty("createdAt").GetDateTimeOffset();
            var attempt = delivery.GetProperty("attempts")[0].GetProperty("at").GetDateTimeOffset();
            hops.Add(((t.ReceivedAt - created).TotalMilliseconds, (attempt - created).TotalMilliseconds, (t.ReceivedAt - attempt).TotalMilliseconds));
        });

        Console.WriteLine($"consent flows: {flows.Count} at concurrency {concurrency} in {elapsed.TotalSeconds:F1} s: " +
                          $"{flows.Count / elapsed.TotalSeconds:F2} consent requests created, granted and notified per second");
        Print("  end to end (HIU asks → HIP and HIU notified)", endToEnd);
        Print("  grant answered → both notified", grantToNotified);
        Print("  callback hop alone (platform enqueues → partner receives), both notifications", hops.Select(h => h.Total).ToList());
        Print("    enqueue → attempt starts (write, queue, polling, read)", hops.Select(h => h.ToAttempt).ToList());
        Print("    attempt starts → partner receives (the POST)", hops.Select(h => h.Post).ToList());
        var hopP50 = Percentile(hops.Select(h => h.Total).Order().ToList(), 0.5);
        var e2eP50 = Percentile(endToEnd.Order().ToList(), 0.5);
        Console.WriteLine($"  ratio: the callback hop is {hopP50 / e2eP50:P0} of the end-to-end p50");

        // Scan and share: one counter QR, then shares until the patient sees the token number.
        var qr = (await PostAsync(partners, "hospital/facility-qr", null, new { counterId = "BENCH" })).GetProperty("qr").GetString()!;
        var shareLatencies = new ConcurrentBag<double>();
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, shares), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, ct) =>
        {
            var at = Stopwatch.GetTimestamp();
            var share = await PostAsync(platform, "api/v1/patients/me/profile/share", patient, new { qr });
            var id = share.GetProperty("requestId").GetString()!;
            var done = await UntilAsync(() => GetAsync(platform, $"api/v1/patients/me/profile/shares/{id}", patient),
                s => s.GetProperty("status").GetString() != "PENDING");
            if (done.GetProperty("status").GetString() != "SHARED") throw new InvalidOperationException("share: " + done);
            shareLatencies.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
        });
        var shareElapsed = clock.Elapsed;
        Console.WriteLine($"profile shares: {shareLatencies.Count} at concurrency {concurrency} in {shareElapsed.TotalSeconds:F1} s: " +
                          $"{shareLatencies.Count / shareElapsed.TotalSeconds:F2} shares per second (scan → token number seen, polled every 50 ms)");
        Print("  share → token number seen", shareLatencies.ToList());
        return flows.Count == count && shareLatencies.Count == shares ? 0 : 1;
    }

    private sealed record Flow(string ConsentRequestId, string Artefact, DateTimeOffset StartedAt, DateTimeOffset RequestedAt, DateTimeOffset GrantedAt);

    private sealed record Notice(string RequestId, DateTimeOffset At, JsonElement Body);

    private static async Task<List<Notice>> InboxAsync(HttpClient partners, string partner, string path) =>
        (await GetAsync(partners, $"inbox?partner={partner}&path={Uri.EscapeDataString(path)}&direction=received&max=5000", null))
        .GetProperty("entries").EnumerateArray()
        .Select(e => new Notice(e.GetProperty("requestId").GetString()!, e.GetProperty("at").GetDateTimeOffset(), e.GetProperty("body").Clone())).ToList();

    /// <summary>Asha Verma (Aadhaar 9999 0000 0016, the sandbox's first KYC identity) enrols or logs in again; her PATIENT token.</summary>
    internal static async Task<string> EnrolAshaAsync(HttpClient platform)
    {
        var txn = (await PostAsync(platform, "api/v3/enrollment/request/otp", null,
            new { scope = new[] { "abha-enrol" }, loginHint = "aadhaar", loginId = "999900000016", otpSystem = "aadhaar" })).GetProperty("txnId").GetString()!;
        var outbox = await GetAsync(platform, "api/sandbox/otp-outbox?mobile=9000000001", null);
        var otp = outbox.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("txnId").GetString() == txn).GetProperty("otp").GetString();
        var enrolled = await PostAsync(platform, "api/v3/enrollment/enrol/byAadhaar", null, new
        {
            authData = new { authMethods = new[] { "otp" }, otp = new { txnId = txn, otpValue = otp } },
            consent = new { code = "abha-enrollment", version = "1.4" },
        });
        var token = enrolled.GetProperty("tokens").GetProperty("token").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v3/enrollment/enrol/abha-address")
        {
            Content = JsonContent.Create(new { abhaAddress = "asha.verma", preferred = true }),
        };
        request.Headers.Authorization = new("Bearer", token);
        using var added = await platform.SendAsync(request);   // 409 when she has it already
        return token;
    }

    /// <summary>Only linked care contexts can be granted: Asha discovers and links hers at the hospital (its OTP from its SMS log) unless already linked.</summary>
    internal static async Task EnsureLinkedAsync(HttpClient platform, HttpClient partners, string patient, string hipId, params string[] references)
    {
        bool Linked(JsonElement links, string reference) => links.GetProperty("hips").EnumerateArray().Any(h => h.GetProperty("hipId").GetString() == hipId
            && h.GetProperty("careContexts").EnumerateArray().Any(c => c.GetProperty("referenceNumber").GetString() == reference));
        var links = await GetAsync(platform, "api/v1/patients/me/links", patient);
        var missing = references.Where(r => !Linked(links, r)).ToArray();
        if (missing.Length == 0) return;
        var txn = (await PostAsync(platform, "api/v1/patients/me/discover", patient, new { hipId })).GetProperty("transactionId").GetString()!;
        await UntilAsync(() => GetAsync(platform, $"api/v1/patients/me/discoveries/{txn}", patient), d => d.GetProperty("status").GetString() != "PENDING");
        var linkRequest = (await PostAsync(platform, "api/v1/patients/me/links", patient, new { transactionId = txn, careContexts = missing }))
            .GetProperty("linkRequestId").GetString()!;
        var awaiting = await UntilAsync(() => GetAsync(platform, $"api/v1/patients/me/link-requests/{linkRequest}", patient),
            r => r.GetProperty("status").GetString() != "REQUESTED");
        var linkRef = awaiting.GetProperty("linkRefNumber").GetString()!;
        var sms = (await GetAsync(partners, "hospital/sms?mobile=9000000001", null)).GetProperty("messages").EnumerateArray()
            .Single(m => m.GetProperty("linkRefNumber").GetString() == linkRef);
        await PostAsync(platform, $"api/v1/patients/me/links/{linkRef}/confirm", patient, new { otp = sms.GetProperty("otp").GetString() });
        await UntilAsync(() => GetAsync(platform, $"api/v1/patients/me/link-requests/{linkRequest}", patient), r => r.GetProperty("status").GetString() == "LINKED");
    }

    private static async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var last = await read();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException(last.ToString());
            await Task.Delay(50);
        }
    }

    internal static async Task<JsonElement> GetAsync(HttpClient client, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static async Task<JsonElement> PostAsync(HttpClient client, string path, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    private static void Print(string what, List<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count > 0)
        {
            Console.WriteLine($"{what}, ms: p50 {Percentile(sorted, 0.50):F0}, p90 {Percentile(sorted, 0.90):F0}, p99 {Percentile(sorted, 0.99):F0}, " +
                              $"max {sorted[^1]:F0} (n={sorted.Count})");
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
