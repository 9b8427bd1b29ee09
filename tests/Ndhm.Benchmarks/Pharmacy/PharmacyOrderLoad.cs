using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ndhm.Benchmarks.Pharmacy;

/// <summary>
/// Orders through the queue from PLACED to DELIVERED against a running sandbox host: <c>count</c> orders (each its own
/// prescription, share and quote, prepared before the clock starts), then <c>concurrency</c> workers each drive one
/// order at a time through ACCEPTED, PACKED, DISPATCHED, DELIVERED, sending the next step as soon as the order shows the
/// previous one applied (polling the pharmacy's GET every 50 ms). Per order: the time from the first step's request
/// to DELIVERED applied (four queue hops, each a Cosmos read, If-Match replace, ledger change, audit append, webhook and
/// partner event); and the time per single hop. Printed: orders/s, p50/p99 of both, in one run.
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- pharmacy-load [hostBaseUrl] [count] [concurrency]
/// </summary>
public static class PharmacyOrderLoad
{
    private const string J = "application/json";

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = args.Length > 0 ? args[0].TrimEnd('/') + "/" : "http://127.0.0.1:7071/";
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

        var admin = await TokenAsync(client, "bench-admin", "PLATFORM_ADMIN");
        var pincode = "50" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var pharmacy = (await SendAsync(client, HttpMethod.Post, "api/v1/facilities", admin, Facility("Bench Pharmacy", "Pharmacy", pincode)))
            .GetProperty("facilityId").GetString()!;
        var clinic = (await SendAsync(client, HttpMethod.Post, "api/v1/facilities", admin, Facility("Bench Clinic", "Clinic", "502110")))
            .GetProperty("facilityId").GetString()!;
        var partner = "bench-rx-" + Guid.NewGuid().ToString("N")[..8];
        await SendAsync(client, HttpMethod.Post, "api/v1/partners", admin, new
        {
            clientId = partner, name = "Bench Pharmacy", roles = new[] { "PHARMACY" }, bridgeUrl = baseUrl + "api/sandbox/bridges/pharmacy",
            facilities = new[] { pharmacy },
        });
        var pharma = await TokenAsync(client, partner, "PHARMACY");
        var hpr = (await SendAsync(client, HttpMethod.Post, "api/v1/professionals", admin, new
        {
            name = "Bench Doctor", category = "doctor", council = "Telangana State Medical Council", registrationNumber = "TSMC/" + Guid.NewGuid().ToString("N")[..8],
            qualifications = new[] { "MBBS" }, specialties = new[] { "General Medicine" }, languages = new[] { "English" }, facilityIds = new[] { clinic },
        })).GetProperty("hprId").GetString()!;
        await SendAsync(client, HttpMethod.Post, $"api/v1/professionals/{hpr}/verify", admin);
        var doctor = await TokenAsync(client, hpr, "HEALTH_WORKER");
        const string patientNumber = "91123456789015";
        var patient = await TokenAsync(client, patientNumber, "PATIENT");

        Console.WriteLine($"preparing {count} orders...");
        var orders = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var consultation = Guid.NewGuid().ToString();
            await SendAsync(client, HttpMethod.Post, "api/sandbox/consultation-facts", null, new
            {
                consultationId = consultation, doctorHprId = hpr, patientAbhaNumber = patientNumber, mode = "VIDEO", isFollowUp = false,
                conditionCode = "J02", facilityId = clinic, status = "IN_PROGRESS",
            });
            var rx = (await SendAsync(client, HttpMethod.Post, $"api/v1/consultations/{consultation}/prescriptions", doctor, new
            {
                conditionCode = "J02",
                items = new[] { new { drugCode = "SAMPLE-AMOX-500-CAP", dosage = "1 capsule", frequencyPerDay = 3, durationDays = 5, quantity = 15 } },
            })).GetProperty("id").GetString()!;
            var share = (await SendAsync(client, HttpMethod.Post, $"api/v1/patients/me/prescriptions/{rx}/shares", patient, new { pharmacyId = pharmacy }))
                .GetProperty("id").GetString()!;
            await SendAsync(client, HttpMethod.Post, $"api/v1/pharmacy/prescription-shares/{share}/quotes", pharma,
                new { pharmacyId = pharmacy, lines = new[] { new { line = 1, unitPrice = 6.5m } } });
            orders.Add((await SendAsync(client, HttpMethod.Post, $"api/v1/patients/me/prescription-shares/{share}/orders", patient, new { pharmacyId = pharmacy }))
                .GetProperty("id").GetString()!);
        }

        var steps = new[] { "ACCEPTED", "PACKED", "DISPATCHED", "DELIVERED" };
        var orderTimes = new List<double>();
        var hopTimes = new List<double>();
        var next = 0;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) - 1 is var i && i < orders.Count)
            {
                var started = Stopwatch.GetTimestamp();
                foreach (var step in steps)
                {
                    var hop = Stopwatch.GetTimestamp();
                    await SendAsync(client, HttpMethod.Post, $"api/v1/pharmacy/orders/{orders[i]}/status", pharma, new { status = step });
                    while ((await SendAsync(client, HttpMethod.Get, $"api/v1/pharmacy/orders/{orders[i]}", pharma)).GetProperty("status").GetString() != step)
                        await Task.Delay(50);
                    lock (hopTimes) hopTimes.Add(Stopwatch.GetElapsedTime(hop).TotalMilliseconds);
                }

                lock (orderTimes) orderTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        total.Stop();

        Console.WriteLine($"pharmacy orders PLACED -> DELIVERED through the queue: {count} orders, {concurrency} at a time, host {baseUrl}");
        Console.WriteLine($"  throughput: {count / total.Elapsed.TotalSeconds:F2} orders/s ({count * steps.Length / total.Elapsed.TotalSeconds:F1} queue events/s) in {total.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  per order (4 queued steps): p50 {P(orderTimes, 50):F0} ms, p99 {P(orderTimes, 99):F0} ms");
        Console.WriteLine($"  per step (request -> applied): p50 {P(hopTimes, 50):F0} ms, p99 {P(hopTimes, 99):F0} ms; p99/p50 {P(hopTimes, 99) / P(hopTimes, 50):F1}x");
        return 0;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static object Facility(string name, string type, string pincode) => new
    {
        facilityName = name, facilityType = type, ownership = "Private", systemsOfMedicine = new[] { "Modern Medicine" },
        address = new { addressLine = "1 Main Road", district = "Hyderabad", stateCode = "36", pincode },
        geoLocation = new { latitude = 17.4, longitude = 78.4 }, contact = new { phone = "+91 40 1234 5678" },
    };

    private static async Task<string> TokenAsync(HttpClient client, string subject, string role) =>
        (await SendAsync(client, HttpMethod.Post, "api/sandbox/tokens", null, new { subject, roles = new[] { role } })).GetProperty("accessToken").GetString()!;

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, J);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
