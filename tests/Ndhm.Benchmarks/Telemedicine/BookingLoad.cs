using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.HealthId.Numbers;

namespace Ndhm.Benchmarks.Telemedicine;

/// <summary>
/// Teleconsultation bookings per second against a running host (the sandbox's), over HTTP as patients call it, in one
/// run: (1) free slots: every booking (init + confirm) targets its own slot; (2) free slots, init only (the step
/// that races); (3) popular slots: the same number of inits race for a handful of slots, so nearly all lose with 409 SLOT_TAKEN. Prints throughput, the conflict rate and
/// p50/p99 of each, and the ratios between them. Sets up its own verified facility and doctor (sandbox tokens), and
/// patients with sandbox PATIENT tokens.
/// <code>dotnet run -c Release --project tests/Ndhm.Benchmarks -- booking-load http://127.0.0.1:7071 200 16 5</code>
/// </summary>
public static class BookingLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = new Uri((args.Length > 0 ? args[0] : "http://127.0.0.1:7071").TrimEnd('/') + "/api/");
        var attempts = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        var hot = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };

        var admin = await TokenAsync(http, new { subject = "bench-admin", roles = new[] { "PLATFORM_ADMIN" } });
        var facility = (await PostAsync(http, "v1/facilities", admin, Facility(), HttpStatusCode.Created)).GetProperty("facilityId").GetString()!;
        var hprId = (await PostAsync(http, "v1/professionals", admin, Doctor(facility), HttpStatusCode.Created)).GetProperty("hprId").GetString()!;
        await PostAsync(http, $"v1/professionals/{hprId}/verify", admin, null, HttpStatusCode.OK);
        var doctor = await TokenAsync(http, new { subject = "bench-doctor", roles = new[] { "TELECONSULT" }, hprId });
        var patients = new List<string>();
        for (var i = 0; i < Math.Min(attempts, 64); i++)
        {
            var body = "91" + string.Concat(Enumerable.Range(0, 11).Select(_ => Random.Shared.Next(10)));
            patients.Add(await TokenAsync(http, new { subject = AbhaNumber.FromBody(body).Digits, roles = new[] { "PATIENT" } }));
        }

        var free = await PublishAsync(http, doctor, facility, attempts, DateTimeOffset.UtcNow.AddDays(3));
        var freeHolds = await PublishAsync(http, doctor, facility, attempts, DateTimeOffset.UtcNow.AddDays(4));
        var popular = await PublishAsync(http, doctor, facility, hot, DateTimeOffset.UtcNow.AddDays(2));
        // Warm up the host's paths (JIT, connections, data keys of the patients) on slots outside the measurement.
        var warm = await PublishAsync(http, doctor, facility, patients.Count, DateTimeOffset.UtcNow.AddDays(1));
        await RunAllAsync(patients.Count, concurrency, i => BookAsync(http, patients[i], warm[i]));

        Console.WriteLine($"host {baseUrl}, {attempts} attempts per case, {concurrency} concurrent, {patients.Count} patients, {Environment.ProcessorCount} cores");
        Console.WriteLine("case                                         ok      409   other   attempts/s  bookings/s   p50 ms   p99 ms");
        var freeRun = await RunAllAsync(attempts, concurrency, i => BookAsync(http, patients[i % patients.Count], free[i]));
        Print($"free slots: init + confirm, 1 per slot", freeRun);
        var freeInitRun = await RunAllAsync(attempts, concurrency, i => InitAsync(http, patients[i % patients.Count], freeHolds[i]));
        Print("free slots: init only, 1 per slot", freeInitRun);
        var hotRun = await RunAllAsync(attempts, concurrency, i => InitAsync(http, patients[i % patients.Count], popular[i % popular.Count]));
        Print($"popular slots: init racing for {hot} slots", hotRun);
        var won = hotRun.Where(r => r.Status == HttpStatusCode.Created).ToList();
        var lost = hotRun.Where(r => r.Status == HttpStatusCode.Conflict).ToList();
        Console.WriteLine($"popular slots: {won.Count} holds for {hot} slots (never more than one each: {won.Count <= hot}), conflict rate " +
                          $"{100.0 * lost.Count / hotRun.Count:F1} %; 201 p50 {P(won, 50):F1} ms, 409 p50 {P(lost, 50):F1} ms p99 {P(lost, 99):F1} ms");
        Console.WriteLine($"ratios popular/free inits: attempts/s {Rate(hotRun) / Rate(freeInitRun):F2}, p50 {P(hotRun, 50) / P(freeInitRun, 50):F2}, " +
                          $"p99 {P(hotRun, 99) / P(freeInitRun, 99):F2}; a whole booking (init + confirm) / an init: p50 {P(freeRun, 50) / P(freeInitRun, 50):F2}");
        return won.Count <= hot && freeRun.All(r => r.Status == HttpStatusCode.OK) && freeInitRun.All(r => r.Status == HttpStatusCode.Created) ? 0 : 1;
    }

    private sealed record Sample(HttpStatusCode Status, double Ms, DateTime EndedAt, DateTime StartedAt);

    private static async Task<List<Sample>> RunAllAsync(int count, int concurrency, Func<int, Task<HttpStatusCode>> act)
    {
        var samples = new Sample[count];
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = DateTime.UtcNow;
                var watch = Stopwatch.StartNew();
                var status = await act(i);
                samples[i] = new Sample(status, watch.Elapsed.TotalMilliseconds, DateTime.UtcNow, started);
            }
        });
        await Task.WhenAll(workers);
        return samples.ToList();
    }

    private static void Print(string name, List<Sample> run)
    {
        var ok = run.Count(r => r.Status is HttpStatusCode.OK or HttpStatusCode.Created);
        var conflicts = run.Count(r => r.Status == HttpStatusCode.Conflict);
        var seconds = Seconds(run);
        Console.WriteLine($"{name,-42} {ok,6} {conflicts,8} {run.Count - ok - conflicts,7} {run.Count / seconds,12:F1} {ok / seconds,11:F1} {P(run, 50),8:F1} {P(run, 99),8:F1}");
    }

    private static double Seconds(List<Sample> run) => (run.Max(r => r.EndedAt) - run.Min(r => r.StartedAt)).TotalSeconds;

    private static double Rate(List<Sample> run) => run.Count / Seconds(run);

    private static double P(List<Sample> run, int percentile)
    {
        if (run.Count == 0) return double.NaN;
        var sorted = run.Select(r => r.Ms).Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static async Task<HttpStatusCode> BookAsync(HttpClient http, string patient, string slotId)
    {
        using var init = await SendAsync(http, "v1/telemedicine/init", patient, new { slotId, mode = "video" });
        if (init.StatusCode != HttpStatusCode.Created) return init.StatusCode;
        var id = JsonDocument.Parse(await init.Content.ReadAsStringAsync()).RootElement.GetProperty("appointmentId").GetString()!;
        using var confirm = await SendAsync(http, "v1/telemedicine/confirm", patient,
            new { appointmentId = id, paymentReference = "bench-" + id[..8], teleconsultationConsent = true });
        return confirm.StatusCode;
    }

    private static async Task<HttpStatusCode> InitAsync(HttpClient http, string patient, string slotId)
    {
        using var init = await SendAsync(http, "v1/telemedicine/init", patient, new { slotId, mode = "video" });
        await init.Content.ReadAsStringAsync();
        return init.StatusCode;
    }

    /// <summary>Publishes <paramref name="count"/> 5-minute slots from a whole minute on, in requests of at most 96.</summary>
    private static async Task<List<string>> PublishAsync(HttpClient http, string doctor, string facility, int count, DateTimeOffset around)
    {
        var from = new DateTimeOffset(around.Year, around.Month, around.Day, around.Hour, 0, 0, TimeSpan.Zero).AddMinutes(Random.Shared.Next(0, 12) * 5);
        var ids = new List<string>();
        while (ids.Count < count)
        {
            var batch = Math.Min(96, count - ids.Count);
            var published = await PostAsync(http, "v1/telemedicine/slots", doctor, new
            {
                facilityId = facility, specialty = "General Medicine", languages = new[] { "English" }, modes = new[] { "video" },
                feeInr = 300, durationMinutes = 5, from, until = from.AddMinutes(5 * batch),
            }, HttpStatusCode.Created);
            ids.AddRange(published.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("slotId").GetString()!));
            from = from.AddMinutes(5 * batch);
        }

        return ids;
    }

    private static object Facility() => new
    {
        facilityName = "Bench Teleclinic " + Guid.NewGuid().ToString("N")[..6], facilityType = "Clinic", ownership = "Private",
        systemsOfMedicine = new[] { "Modern Medicine" },
        address = new { addressLine = "Road 1", city = "Hyderabad", district = "Hyderabad", stateCode = "36", pincode = "500033" },
        geoLocation = new { latitude = 17.4239, longitude = 78.4128 },
        contact = new { phone = "+91 40 2360 7777" },
    };

    private static object Doctor(string facility) => new
    {
        name = "Bench Doctor", category = "doctor", council = "Telangana State Medical Council",
        registrationNumber = "TSMC/B" + Guid.NewGuid().ToString("N")[..8], qualifications = new[] { "MBBS" },
        specialties = new[] { "General Medicine" }, languages = new[] { "English" }, facilityIds = new[] { facility },
    };

    private static async Task<string> TokenAsync(HttpClient http, object request)
    {
        using var response = await http.PostAsJsonAsync("sandbox/tokens", request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"sandbox token: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string token, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string token, object? body, HttpStatusCode expected)
    {
        using var response = await SendAsync(http, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
