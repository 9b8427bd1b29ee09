using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.RateLimits;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.RateLimits;

namespace Ndhm.Benchmarks.RateLimits;

/// <summary>
/// What an abuse-limit check costs, in one run against a Cosmos endpoint (the sandbox emulator by default):
/// no limiter, allowed checks (an atomic patch <c>incr</c> of a shared counter), the first check of a window (create)
/// and refused checks answered by the in-process "refused until" memory; and, for the choice of store, the same
/// counter in Table storage (read, then update with If-Match, retried on 412: tables have no atomic increment).
/// Runs in its own throw-away database and table.
/// <code>dotnet run -c Release --project tests/Ndhm.Benchmarks -- ratelimit-load https://127.0.0.1:8081/ 2000 8 "UseDevelopmentStorage=true"</code>
/// </summary>
public static class RateLimitLoad
{
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static async Task<int> RunAsync(string[] args)
    {
        var endpoint = new Uri(args.Length > 0 ? args[0] : "https://127.0.0.1:8081/");
        var checks = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var storage = args.Length > 3 ? args[3] : null;
        var settings = new CosmosSettings
        {
            Endpoint = endpoint,
            Database = "ratelimit-bench-" + Guid.NewGuid().ToString("N")[..8],
            Key = EmulatorKey,
            AcceptAnyCertificate = true,
        };
        using var client = CosmosClientFactory.Create(settings);
        var database = await new CosmosDatabaseInitializer(client, settings.Database).InitializeAsync();
        try
        {
            var limiter = new CosmosRateLimiter(client, settings, TimeProvider.System);
            var roomy = new RateLimitPolicy("BenchAllowed", int.MaxValue, TimeSpan.FromHours(1));
            var tight = new RateLimitPolicy("BenchRefused", 1, TimeSpan.FromHours(1));
            const int callers = 50;
            // Warm up: connections, and one counter per caller so the measured allowed checks are increments.
            for (var i = 0; i < callers; i++)
                await limiter.TryAcquireAsync(roomy, "caller:" + i, default);
            await limiter.TryAcquireAsync(tight, "caller:hot", default);

            Console.WriteLine($"endpoint {endpoint}, {checks} checks per case, {concurrency} concurrent, {Environment.ProcessorCount} cores");
            Console.WriteLine("case                                  checks/s    p50 ms    p95 ms    p99 ms");
            await MeasureAsync("no limiter", checks, concurrency, _ => Task.FromResult(RateLimitDecision.Allow(1, TimeSpan.Zero)));
            await MeasureAsync("allowed (patch incr, 50 callers)", checks, concurrency,
                i => limiter.TryAcquireAsync(roomy, "caller:" + (i % callers), default));
            await MeasureAsync("first of a window (create)", checks, concurrency,
                i => limiter.TryAcquireAsync(roomy, "new:" + i + ":" + Guid.NewGuid().ToString("N"), default));
            await MeasureAsync("one hot key, allowed (patch incr)", checks, concurrency,
                _ => limiter.TryAcquireAsync(roomy, "caller:0", default));
            await MeasureAsync("refused (in-process memory)", checks, concurrency,
                _ => limiter.TryAcquireAsync(tight, "caller:hot", default));
            if (storage is not null)
            {
                var table = new TableClient(storage, "ratelimitbench" + Guid.NewGuid().ToString("N")[..8]);
                await table.CreateAsync();
                try
                {
                    var retries = 0;
                    for (var i = 0; i < callers; i++)
                        await TableIncrementAsync(table, "caller:" + i, () => { });
                    await MeasureAsync("table: allowed (read + If-Match)", checks, concurrency,
                        i => TableIncrementAsync(table, "caller:" + (i % callers), () => Interlocked.Increment(ref retries)));
                    var quiet = retries;
                    await MeasureAsync("table: one hot key (read + If-Match)", checks, concurrency,
                        _ => TableIncrementAsync(table, "caller:0", () => Interlocked.Increment(ref retries)));
                    Console.WriteLine($"table 412/409 retries: {quiet} spread over {callers} keys, {retries - quiet} on one hot key");
                }
                finally
                {
                    await table.DeleteAsync();
                }
            }

            return 0;
        }
        finally
        {
            await database.DeleteAsync();
        }
    }

    private static async Task MeasureAsync(string name, int checks, int concurrency, Func<int, Task<RateLimitDecision>> check)
    {
        var latencies = new double[checks];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < checks)
            {
                var started = Stopwatch.GetTimestamp();
                await check(i);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }));
        total.Stop();
        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-36} {checks / total.Elapsed.TotalSeconds,9:F0} {Percentile(latencies, 0.50),9:F3} {Percentile(latencies, 0.95),9:F3} {Percentile(latencies, 0.99),9:F3}"));
    }

    private static async Task<RateLimitDecision> TableIncrementAsync(TableClient table, string key, Action retried)
    {
        while (true)
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(key, "c");
            try
            {
                if (!existing.HasValue)
                {
                    await table.AddEntityAsync(new TableEntity(key, "c") { ["Count"] = 1L });
                    return RateLimitDecision.Allow(1, TimeSpan.Zero);
                }

                var entity = existing.Value!;
                var count = entity.GetInt64("Count")!.Value + 1;
                entity["Count"] = count;
                await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
                return RateLimitDecision.Allow(count, TimeSpan.Zero);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                retried();
            }
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
