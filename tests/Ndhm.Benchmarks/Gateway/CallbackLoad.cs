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
/// <para>
/// The callback hop (issue #12) is the part after the platform enqueues: from the delivery's <c>createdAt</c> (stamped
/// by the dispatcher before it writes the delivery and queues its message) to the receiver getting the POST. It is
/// split, from each delivery's own record (<c>GET /api/v1/deliveries/{id}</c> after the run), into enqueue → attempt
/// (delivery write, queue message, the listener's polling, the queue function reading the delivery) and attempt →
/// received (the POST). Host and benchmark share one machine, so their UTC clocks compare.
/// </para>
/// <para>
/// Before the measured requests a few heartbeats warm the path up (JIT, connections, token caches; not counted), then
/// the callback queue is left idle for <c>idleSeconds</c> (default 5), as it is between bursts in real use: the queue
/// listener has backed off to host.json's <c>maxPollingInterval</c> when the run starts.
/// </para>
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- gateway-load [hostBaseUrl] [count] [concurrency] [idleSeconds]
/// </summary>
public static class CallbackLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var baseUrl = args.Length > 0 ? args[0].TrimEnd('/') + "/" : "http://127.0.0.1:7071/";
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var idle = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 5);
        const int warmUps = 8;
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

        var received = new ConcurrentDictionary<string, long>();
        var receivedAt = new ConcurrentDictionary<string, DateTimeOffset>();
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var receiver = builder.Build();
        receiver.MapPost("/{**path}", async (HttpContext http) =>
        {
            var body = await JsonDocument.ParseAsync(http.Request.Body);
            var requestId = body.RootElement.GetProperty("response").GetProperty("requestId").GetString()!;
            if (received.TryAdd(requestId, Stopwatch.GetTimestamp())) receivedAt[requestId] = DateTimeOffset.UtcNow;
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
        var acceptedIn = new ConcurrentDictionary<string, double>();
        var warmUpIds = new ConcurrentDictionary<string, bool>();
        await Parallel.ForEachAsync(Enumerable.Range(0, warmUps), async (_, ct) =>
        {
            var requestId = Guid.NewGuid().ToString();
            warmUpIds[requestId] = true;
            await HeartbeatAsync(client, token, requestId, ct);
        });
        await WaitForAsync(() => warmUpIds.Keys.All(received.ContainsKey), TimeSpan.FromMinutes(1));
        foreach (var id in warmUpIds.Keys)
        {
            received.TryRemove(id, out _);
            receivedAt.TryRemove(id, out _);
        }

        await Task.Delay(idle);
        using var stopProbe = new CancellationTokenSource();
        var probe = ProbeAsync(stopProbe.Token);
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
            acceptedIn[requestId] = Stopwatch.GetElapsedTime(sent[requestId]).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"heartbeat: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }
        });
        var accepted = Stopwatch.GetElapsedTime(started);

        await WaitForAsync(() => received.Count >= count, TimeSpan.FromMinutes(5));
        await stopProbe.CancelAsync();
        var probed = await probe;

        var total = TimeSpan.FromTicks((long)((received.Values.DefaultIfEmpty(started).Max() - started) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        var latencies = received.Where(r => sent.ContainsKey(r.Key))
            .Select(r => (r.Value - sent[r.Key]) * 1000.0 / Stopwatch.Frequency).Order().ToList();
        Console.WriteLine($"requests: {count}, concurrency: {concurrency}, callbacks received: {received.Count} " +
                          $"(after {warmUps} warm-up heartbeats and {idle.TotalSeconds:F0} s of idle queue)");
        Console.WriteLine($"accept phase: {accepted.TotalSeconds:F2} s ({count / accepted.TotalSeconds:F1} requests/s)");
        Console.WriteLine($"deliveries: {received.Count / total.TotalSeconds:F1} callbacks/s (first request to last callback, {total.TotalSeconds:F2} s)");
        if (latencies.Count > 0)
        {
            Console.WriteLine($"end-to-end latency ms: p50 {Percentile(latencies, 0.50):F0}, p90 {Percentile(latencies, 0.90):F0}, " +
                              $"p99 {Percentile(latencies, 0.99):F0}, max {latencies[^1]:F0}");
        }

        var hops = await HopsAsync(client, token, clientId, receivedAt);
        Print("heartbeat sent → 202", acceptedIn.Values.Order().ToList());
        Print($"callback hop (enqueue → partner receives), concurrency {concurrency}", hops.Select(h => h.Total).Order().ToList());
        Print("  enqueue → attempt starts (write, queue, polling, read)", hops.Select(h => h.ToAttempt).Order().ToList());
        Print("  attempt starts → partner receives (the POST)", hops.Select(h => h.ToReceiver).Order().ToList());
        Console.WriteLine("the hop's storage steps, probed once every 25 ms during the run (same emulators, same load):");
        foreach (var (step, ms) in probed)
        {
            Print("  " + step, ms.Order().ToList());
        }
        return received.Count == count ? 0 : 1;
    }

    /// <summary>
    /// The storage steps of one hop, timed on their own while the load runs: the delivery document's create and point
    /// read (Cosmos <c>gateway</c> container), and a queue message's send and receive (a private queue). What the hop
    /// takes beyond them is the listener: waiting for its next poll and for a free slot.
    /// </summary>
    private static async Task<Dictionary<string, List<double>>> ProbeAsync(CancellationToken stop)
    {
        const string emulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
        var settings = new Ndhm.Infrastructure.Cosmos.CosmosSettings
        {
            Endpoint = new Uri(Environment.GetEnvironmentVariable("NDHM_COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/"),
            Database = "ndhm", Key = emulatorKey, AcceptAnyCertificate = true,
        };
        using var cosmos = Ndhm.Infrastructure.Cosmos.CosmosClientFactory.Create(settings);
        var container = cosmos.GetContainer(settings.Database, Ndhm.Infrastructure.Cosmos.CosmosContainers.Gateway.Name);
        var queue = new Azure.Storage.Queues.QueueClient(Environment.GetEnvironmentVariable("NDHM_STORAGE_CONNECTION") ?? "UseDevelopmentStorage=true",
            "bench-probe-" + Guid.NewGuid().ToString("N")[..12]);
        await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        var steps = new Dictionary<string, List<double>>
        {
            ["delivery document create"] = [], ["delivery document read"] = [], ["queue message send"] = [], ["queue message receive"] = [],
        };
        var pk = "bench-probe:" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var id = Guid.NewGuid().ToString();
                var at = Stopwatch.GetTimestamp();
                using (var created = await container.CreateItemStreamAsync(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(
                    new { id, pk, type = "bench-probe", ttl = 600, body = new string('x', 400) })), new Microsoft.Azure.Cosmos.PartitionKey(pk)))
                {
                    steps["delivery document create"].Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                    if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"probe create: {created.StatusCode}");
                }

                at = Stopwatch.GetTimestamp();
                using (var read = await container.ReadItemStreamAsync(id, new Microsoft.Azure.Cosmos.PartitionKey(pk)))
                {
                    steps["delivery document read"].Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                    if (!read.IsSuccessStatusCode) throw new InvalidOperationException($"probe read: {read.StatusCode}");
                }

                at = Stopwatch.GetTimestamp();
                await queue.SendMessageAsync("{\"probe\":true}", CancellationToken.None);
                steps["queue message send"].Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                at = Stopwatch.GetTimestamp();
                var received = (await queue.ReceiveMessagesAsync(16, cancellationToken: CancellationToken.None)).Value;
                steps["queue message receive"].Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                foreach (var message in received)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
                }

                await Task.Delay(25, CancellationToken.None);
            }
        }
        finally
        {
            await queue.DeleteIfExistsAsync(CancellationToken.None);
        }

        return steps;
    }

    private static async Task HeartbeatAsync(HttpClient client, string token, string requestId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/gateway/heartbeat") { Content = JsonContent.Create(new { message = "bench" }) };
        request.Headers.Authorization = new("Bearer", token);
        request.Headers.Add("REQUEST-ID", requestId);
        request.Headers.Add("TIMESTAMP", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request, ct);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"heartbeat: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    private sealed record Hop(double Total, double ToAttempt, double ToReceiver);

    /// <summary>Each received callback's hop, from its delivery record (created at, first attempt at) and the receiver's clock.</summary>
    private static async Task<List<Hop>> HopsAsync(HttpClient client, string token, string clientId, IReadOnlyDictionary<string, DateTimeOffset> receivedAt)
    {
        var hops = new ConcurrentBag<Hop>();
        await Parallel.ForEachAsync(receivedAt, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (pair, ct) =>
        {
            var id = Ndhm.Gateway.Callbacks.CallbackDispatcher.DeliveryIdFor(clientId, pair.Key, "/v1/gateway/on-heartbeat");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/deliveries/{id}");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode) return;
            var delivery = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            var created = delivery.GetProperty("createdAt").GetDateTimeOffset();
            var attempt = delivery.GetProperty("attempts")[0].GetProperty("at").GetDateTimeOffset();
            hops.Add(new Hop((pair.Value - created).TotalMilliseconds, (attempt - created).TotalMilliseconds, (pair.Value - attempt).TotalMilliseconds));
        });
        return hops.ToList();
    }

    private static void Print(string what, List<double> sorted)
    {
        if (sorted.Count > 0)
        {
            Console.WriteLine($"{what}, ms: p50 {Percentile(sorted, 0.50):F0}, p90 {Percentile(sorted, 0.90):F0}, p99 {Percentile(sorted, 0.99):F0}, " +
                              $"max {sorted[^1]:F0} (n={sorted.Count})");
        }
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
