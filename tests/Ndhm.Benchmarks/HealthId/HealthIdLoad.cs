using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Benchmarks.HealthId;

/// <summary>
/// Load run against a running sandbox host: mobile-OTP enrolments per second (request OTP, read it from the sandbox
/// outbox, enrol, claim an ABHA address: four HTTP calls each), verification lookups per second by number and by
/// address (GET v3/verification/abha/{numberOrAddress}), and the same account document read directly with a Cosmos
/// point read, printing the rates and their ratios.
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- healthid-load [baseUrl] [enrolments] [lookups] [concurrency]
/// </summary>
public static class HealthIdLoad
{
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:7071/";
        var enrolments = args.Length > 1 ? int.Parse(args[1]) : 20;
        var lookups = args.Length > 2 ? int.Parse(args[2]) : 500;
        var concurrency = args.Length > 3 ? int.Parse(args[3]) : 8;
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

        // Enrolments: fresh mobiles, so the per-mobile OTP window never limits the run.
        var numbers = new System.Collections.Concurrent.ConcurrentBag<(string Number, string Address)>();
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, enrolments), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (_, ct) => numbers.Add(await EnrolAsync(http, ct)));
        var enrolSeconds = sw.Elapsed.TotalSeconds;

        var token = await TokenAsync(http);
        var enrolled = numbers.ToArray();
        var targets = enrolled.Select(e => e.Number).ToArray();
        var lookupSeconds = await LookupsAsync(http, token, targets, lookups, concurrency);
        var addressSeconds = await LookupsAsync(http, token, enrolled.Select(e => Uri.EscapeDataString(e.Address)).ToArray(), lookups, concurrency);

        var settings = new CosmosSettings
        {
            Endpoint = new Uri(Environment.GetEnvironmentVariable("NDHM_COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/"),
            Database = "ndhm", Key = EmulatorKey, AcceptAnyCertificate = true,
        };
        using var cosmos = CosmosClientFactory.Create(settings);
        var container = cosmos.GetContainer(settings.Database, CosmosContainers.HealthIds.Name);
        var ids = targets.Select(n => n.Replace("-", "", StringComparison.Ordinal)).ToArray();
        using (await container.ReadItemStreamAsync(ids[0], new PartitionKey(ids[0]))) { } // warm-up
        sw.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, lookups), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) =>
            {
                var id = ids[i % ids.Length];
                using var response = await container.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: ct);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"point read {response.StatusCode}");
            });
        var pointSeconds = sw.Elapsed.TotalSeconds;

        var lookupRate = lookups / lookupSeconds;
        var addressRate = lookups / addressSeconds;
        var pointRate = lookups / pointSeconds;
        Console.WriteLine($"concurrency {concurrency}");
        Console.WriteLine($"enrolments (mobile OTP + address, 4 HTTP calls each): {enrolments} in {enrolSeconds:F2} s = {enrolments / enrolSeconds:F1}/s");
        Console.WriteLine($"verification lookups by number over HTTP:  {lookups} in {lookupSeconds:F2} s = {lookupRate:F1}/s");
        Console.WriteLine($"verification lookups by address over HTTP: {lookups} in {addressSeconds:F2} s = {addressRate:F1}/s");
        Console.WriteLine($"direct Cosmos point reads:                 {lookups} in {pointSeconds:F2} s = {pointRate:F1}/s");
        Console.WriteLine($"ratio HTTP lookup by number / point read:  {lookupRate / pointRate:F2}");
        Console.WriteLine($"ratio HTTP lookup by address / point read: {addressRate / pointRate:F2}");
        return 0;
    }

    private static async Task<double> LookupsAsync(HttpClient http, string token, string[] keys, int lookups, int concurrency)
    {
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, lookups), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v3/verification/abha/{keys[i % keys.Length]}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var response = await http.SendAsync(request, ct);
                response.EnsureSuccessStatusCode();
            });
        return sw.Elapsed.TotalSeconds;
    }

    private static async Task<(string Number, string Address)> EnrolAsync(HttpClient http, CancellationToken ct)
    {
        var mobile = "7" + string.Concat(Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)));
        var otpResponse = await PostAsync(http, "api/v3/enrollment/request/otp", new { loginHint = "mobile", loginId = mobile }, ct);
        var txnId = otpResponse.GetProperty("txnId").GetString()!;
        var outbox = await http.GetFromJsonAsync<JsonElement>($"api/sandbox/otp-outbox?mobile={mobile}", ct);
        var otp = outbox.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("txnId").GetString() == txnId)
            .GetProperty("otp").GetString();
        var enrolled = await PostAsync(http, "api/v3/enrollment/enrol/byMobile", new
        {
            authData = new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp, mobile } },
            consent = new { code = "abha-enrollment", version = "1.4" },
            firstName = "Load", lastName = "Test", gender = "O", yearOfBirth = 1990,
        }, ct);
        var number = enrolled.GetProperty("ABHAProfile").GetProperty("ABHANumber").GetString()!;
        var patientToken = enrolled.GetProperty("tokens").GetProperty("token").GetString()!;
        var handle = "load" + Guid.NewGuid().ToString("N")[..12];
        using var claim = new HttpRequestMessage(HttpMethod.Post, "api/v3/enrollment/enrol/abha-address")
        {
            Content = JsonContent.Create(new { abhaAddress = handle, preferred = true }),
        };
        claim.Headers.Authorization = new AuthenticationHeaderValue("Bearer", patientToken);
        using var claimed = await http.SendAsync(claim, ct);
        if (!claimed.IsSuccessStatusCode) throw new InvalidOperationException($"abha-address: {(int)claimed.StatusCode} {await claimed.Content.ReadAsStringAsync(ct)}");
        var profile = JsonDocument.Parse(await claimed.Content.ReadAsStringAsync(ct)).RootElement;
        return (number, profile.GetProperty("preferredAbhaAddress").GetString()!);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<string> TokenAsync(HttpClient http)
    {
        var json = await PostAsync(http, "api/sandbox/tokens", new { subject = "load-hip", roles = new[] { "HIP" } }, default);
        return json.GetProperty("accessToken").GetString()!;
    }
}
