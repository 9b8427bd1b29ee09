using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Ndhm.Benchmarks.Gateway;

/// <summary>
/// Callback throughput and end-to-end latency through the real pipeline: heartbeat request (202) → delivery
/// document + queue message → queue-triggered DeliverCallback → POST to a local receiver. Latency is from just
/// before the heartbeat is sent to the moment the receiver gets the callback.
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- gateway-load [hostBaseUrl] [count] [concurrency]
/// </summary>
public static class CallbackLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = args.Length > 0 ? args[0].TrimEnd('/') + "/" : "http://127.0.0.1:7071/";
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

        var received = new ConcurrentDictionary<string, long>();
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var receiver = builder.Build();
        receiver.MapPost("/{**path}", async (HttpContext http) =>
        {
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            received.TryAdd(body.RootElement.GetProperty("response").GetProperty("requestId").GetString()!, Stopwatch.GetTimestamp());
            return Results.Ok();
        });
        await receiver.StartAsync();

        var admin = await TokenAsync(client, "api/sandbox/tokens", new { subject = "bench-admin", roles = new[] { "PLATFORM_ADMIN" } });
        var clientId = "bench-" + Guid.NewGuid().ToString("N")[..10];
        var registered = await PostAsync(client, "api/v1/partners", admin,
            new { clientId, name = "benchmark", roles = new[] { "HIP" }, bridgeUrl = $"http://127.0.0.1:{port}" });
        var secret = registered.GetProperty("clientSecret").GetString()!;
        var token = await TokenAsync(client, "api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });

        var sent = new ConcurrentDictionary<string, long>();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (_, ct) =>
        {
            var requestId = Guid.NewGuid().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/gateway/heartbeat") { Content = JsonContent.Create(new { message = "bench" }) };
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Add("REQUEST-ID", requestId);
            request.Headers.Add("TIMESTAMP", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            sent[requestId] = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request, ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"heartbeat: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        var accepted = Stopwatch.GetElapsedTime(started);

        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var total = TimeSpan.FromTicks((long)((received.Values.DefaultIfEmpty(started).Max() - started) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        var latencies = received.Where(r => sent.ContainsKey(r.Key))
            .Select(r => (r.Value - sent[r.Key]) * 1000.0 / Stopwatch.Frequency).Order().ToList();
        Console.WriteLine($"requests: {count}, concurrency: {concurrency}, callbacks received: {received.Count}");
        Console.WriteLine($"accept phase: {accepted.TotalSeconds:F2} s ({count / accepted.TotalSeconds:F1} requests/s)");
        Console.WriteLine($"deliveries: {received.Count / total.TotalSeconds:F1} callbacks/s (first request to last callback, {total.TotalSeconds:F2} s)");
        if (latencies.Count > 0)
        {
            Console.WriteLine($"end-to-end latency ms: p50 {Percentile(latencies, 0.50):F0}, p90 {Percentile(latencies, 0.90):F0}, " +
                              $"p99 {Percentile(latencies, 0.99):F0}, max {latencies[^1]:F0}");
        }

        return received.Count == count ? 0 : 1;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<string> TokenAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
