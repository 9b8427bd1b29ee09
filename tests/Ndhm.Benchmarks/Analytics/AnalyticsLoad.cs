using System.Diagnostics;
using Ndhm.Analytics;
using Ndhm.Audit;
using Ndhm.Core.Concurrency;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Benchmarks.Analytics;

/// <summary>
/// Seeds the sandbox with synthetic analytics events and measures the aggregates, against the sandbox's Cosmos
/// emulator (no functions host needed):
/// <list type="number">
/// <item>update cost per event in memory (normalise + fold into its slice: the code the change-feed path runs);</item>
/// <item>update cost per event through Cosmos, in a scratch database: pages of one event (one read + one write each)
/// and pages of 1000 (one write per touched slice), with writes per event counted;</item>
/// <item>the seed: all events folded in memory and each slice written once to the sandbox database's
/// <c>analytics</c> container (re-running overwrites the same slices);</item>
/// <item>query latency p50/p99 over the seeded data (whole months read, blocks made, answer built), in process.</item>
/// </list>
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- analytics-load [events] [queries] [--writers N]
/// (default 1,000,000 events, 200 queries, 4 seed writers: the emulator refused connections at 16 on a loaded machine;
/// each write is retried with backoff on a timeout, 429 or 5xx, and the retries are counted).
/// <c>analytics-demo-facts</c> writes the README walkthrough's facts to the sandbox's outbox instead (see <see cref="DemoFactsAsync"/>).
/// </summary>
public static class AnalyticsLoad
{
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static readonly string[] States = ["MH", "KA", "TN", "UP", "WB", "GJ"];
    private static readonly string[] FacilityTypes = ["hospital", "clinic", "lab", "pharmacy", "phc"];
    private static readonly string[] AgeBands = ["0-4", "5-14", "15-29", "30-44", "45-59", "60-74", "75+"];
    private static readonly string[] Genders = ["F", "M", "F", "M", "O"];
    private static readonly string[] Specialties = ["general-medicine", "paediatrics", "cardiology", "dermatology"];
    private static readonly string[] DrugClasses = ["J01", "N02", "A10", "C09", "R03"];

    public static async Task<int> RunAsync(string[] args)
    {
        var writersAt = Array.IndexOf(args, "--writers");
        var writers = writersAt >= 0 ? int.Parse(args[writersAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 4;
        var positional = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (writersAt < 0 || i != writersAt + 1)).ToArray();
        var events = positional.Length > 0 ? int.Parse(positional[0], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
        var queries = positional.Length > 1 ? int.Parse(positional[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var total = Stopwatch.StartNew();
        var definitions = AnalyticsDefinitions.Default;
        var firstMonth = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1).AddMonths(-3);
        var facts = Generate(definitions, events, firstMonth, new Random(42)).ToList();
        Console.WriteLine($"analytics-load: {events:N0} synthetic events over {firstMonth:yyyy-MM}..{firstMonth.AddMonths(2):yyyy-MM}, {definitions.Measures.Count} measures");

        // 1. In memory: the fold every event goes through.
        var timer = Stopwatch.StartNew();
        var slices = new Dictionary<SliceKey, AggregateSlice>();
        var position = 0L;
        foreach (var fact in facts)
        {
            var n = fact.Normalise(definitions)!;
            if (!slices.TryGetValue(n.Slice, out var slice)) slices[n.Slice] = slice = AggregateSlice.Empty(n.Slice);
            slice.Apply("seed", ++position, n);
        }

        timer.Stop();
        Console.WriteLine($"  fold in memory: {timer.Elapsed.TotalNanoseconds / events:F0} ns/event; {slices.Count:N0} slices ({(double)events / slices.Count:F1} events/slice)");

        var endpoint = new Uri(Environment.GetEnvironmentVariable("NDHM_COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/");
        // 2. Through Cosmos, in a scratch database.
        var scratch = new CosmosSettings { Endpoint = endpoint, Database = "analytics-bench-" + Guid.NewGuid().ToString("N")[..8], Key = EmulatorKey, AcceptAnyCertificate = true };
        using (var cosmos = CosmosClientFactory.Create(scratch))
        {
            await new CosmosDatabaseInitializer(cosmos, scratch.Database).InitializeAsync(CancellationToken.None);
            try
            {
                var store = new CountingSliceStore(new CosmosAggregateSliceStore(cosmos, scratch));
                var ingestion = new AnalyticsIngestion(new NoFeed(), store, definitions);
                var single = facts.Take(500).ToList();
                timer.Restart();
                for (var i = 0; i < single.Count; i++)
                {
                    await ingestion.ApplyAsync(new FactPage("bench", [(i + 1L, single[i])], null, false), CancellationToken.None);
                }

                timer.Stop();
                Console.WriteLine($"  one event per page (Cosmos): {timer.Elapsed.TotalMilliseconds / single.Count:F2} ms/event, {(double)store.Writes / single.Count:F2} writes/event");
                var writesBefore = store.Writes;
                var pages = 10;
                timer.Restart();
                for (var p = 0; p < pages; p++)
                {
                    var page = facts.Skip(1000 + p * 1000).Take(1000).Select((f, i) => (1_000_000L + p * 1000 + i, f)).ToList();
                    await ingestion.ApplyAsync(new FactPage("bench", page, null, false), CancellationToken.None);
                }

                timer.Stop();
                Console.WriteLine($"  pages of 1000 (Cosmos): {timer.Elapsed.TotalMilliseconds / (pages * 1000):F2} ms/event, {(double)(store.Writes - writesBefore) / (pages * 1000):F2} writes/event");
            }
            finally
            {
                await cosmos.GetDatabase(scratch.Database).DeleteAsync();
            }
        }

        // 3. The seed: each slice written once into the sandbox database.
        var sandbox = new CosmosSettings { Endpoint = endpoint, Database = Environment.GetEnvironmentVariable("NDHM_COSMOS_DATABASE") ?? "ndhm", Key = EmulatorKey, AcceptAnyCertificate = true };
        using var client = CosmosClientFactory.Create(sandbox);
        await new CosmosDatabaseInitializer(client, sandbox.Database).InitializeAsync(CancellationToken.None);
        var sliceStore = new CosmosAggregateSliceStore(client, sandbox);
        timer.Restart();
        var retries = 0;
        var written = 0;
        await Parallel.ForEachAsync(slices.Values, new ParallelOptions { MaxDegreeOfParallelism = writers }, async (slice, ct) =>
        {
            // Re-running overwrites the same slices (read for the ETag, then replace); a transient refusal is retried.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var current = await sliceStore.ReadAsync(slice.Key, ct);
                    if (await sliceStore.TryWriteAsync(slice, current?.ETag, ct)) break;
                    throw new InvalidOperationException("seed write lost a race");
                }
                catch (Exception e) when (attempt < 8 && Transient(e))
                {
                    Interlocked.Increment(ref retries);
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)), ct);
                }
            }

            if (Interlocked.Increment(ref written) % 2000 == 0) Console.WriteLine($"    seeded {written:N0}/{slices.Count:N0} slices");
        });
        timer.Stop();
        Console.WriteLine($"  seed: {slices.Count:N0} slices written to '{sandbox.Database}' in {timer.Elapsed.TotalSeconds:F1} s with {writers} writers ({retries} retried writes)");

        // 4. Queries over the seeded data: through the sandbox's Cosmos (the deployed path), then the same queries over the
        //    same slices held in memory (what the disclosure control and answer building cost without the reads).
        var (cosmosP50, cosmosP99, meanRows) = await QueryLatencyAsync(sliceStore, definitions, firstMonth, queries);
        Console.WriteLine($"  queries: {queries} (1-3 months, 0-2 dimensions, a third filtered by state): p50 {cosmosP50:F1} ms, p99 {cosmosP99:F1} ms, mean rows {meanRows:F0}");
        var (memoryP50, memoryP99, _) = await QueryLatencyAsync(new InMemorySlices(slices.Values), definitions, firstMonth, queries);
        Console.WriteLine($"  same queries over the slices in memory (no Cosmos reads): p50 {memoryP50:F1} ms, p99 {memoryP99:F1} ms");
        Console.WriteLine($"analytics-load: done in {total.Elapsed.TotalMinutes:F1} min");
        return 0;
    }

    private static async Task<(double P50, double P99, double MeanRows)> QueryLatencyAsync(IAggregateSliceStore store, AnalyticsDefinitions definitions,
        DateOnly firstMonth, int queries)
    {
        var service = new AnalyticsQueries(store, new NoAudit(), new AnalyticsOptions());
        var random = new Random(7); // the same queries on every store
        var actor = new AuditActor("bench-analytics", ["ANALYTICS"]);
        string[][] groupings = [[], ["state"], ["state", "ageBand"], ["ageBand", "gender"]];
        var latencies = new List<double>();
        long rows = 0;
        var timer = new Stopwatch();
        for (var q = 0; q < queries + 10; q++)
        {
            var measure = definitions.Measures[random.Next(definitions.Measures.Count)];
            var months = random.Next(1, 4);
            var from = firstMonth.AddMonths(3 - months);
            var query = new AnalyticsQuery(measure, groupings[random.Next(groupings.Length)],
                random.Next(3) == 0 ? new Dictionary<string, string> { ["state"] = States[random.Next(States.Length)] } : new Dictionary<string, string>(),
                from, firstMonth.AddMonths(3).AddDays(-1), (PeriodGrain)random.Next(3));
            timer.Restart();
            var result = await service.QueryAsync(query, actor, CancellationToken.None);
            timer.Stop();
            if (q >= 10) { latencies.Add(timer.Elapsed.TotalMilliseconds); rows += result.Rows.Count; } // first 10 warm up
        }

        latencies.Sort();
        return (Percentile(latencies, 0.50), Percentile(latencies, 0.99), (double)rows / latencies.Count);
    }

    private sealed class InMemorySlices(IEnumerable<AggregateSlice> slices) : IAggregateSliceStore
    {
        private readonly ILookup<(string, int, int), AggregateSlice> byMonth = slices.ToLookup(s => (s.Measure, s.Day.Year, s.Day.Month));

        public Task<Versioned<AggregateSlice>?> ReadAsync(SliceKey key, CancellationToken ct) => throw new NotSupportedException();

        public Task<bool> TryWriteAsync(AggregateSlice slice, string? ifMatch, CancellationToken ct) => throw new NotSupportedException();

        public Task<IReadOnlyList<AggregateSlice>> ReadMonthAsync(string measure, int year, int month, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<AggregateSlice>>(byMonth[(measure, year, month)].ToList());
    }

    private static bool Transient(Exception e) =>
        e is Microsoft.Azure.Cosmos.CosmosException { StatusCode: System.Net.HttpStatusCode.TooManyRequests }
        || Ndhm.Infrastructure.Resilience.DependencyFailures.Classify(e) is not null;

    /// <summary>
    /// The README walkthrough's facts, written to the sandbox's <c>analytics-facts</c> outbox (the host's change-feed
    /// timer folds them in): dispensings in state SK (Sikkim; the load generator uses none there) on the 3rd and 4th of
    /// last month: 12 women aged 30-44 each day, and one man aged 75+ on the 4th, a block of one that is never
    /// released. Fact ids are fixed, so running it again adds nothing.
    /// </summary>
    public static async Task<int> DemoFactsAsync()
    {
        var month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1).AddMonths(-1);
        var endpoint = new Uri(Environment.GetEnvironmentVariable("NDHM_COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/");
        var sandbox = new CosmosSettings { Endpoint = endpoint, Database = Environment.GetEnvironmentVariable("NDHM_COSMOS_DATABASE") ?? "ndhm", Key = EmulatorKey, AcceptAnyCertificate = true };
        using var client = CosmosClientFactory.Create(sandbox);
        await new CosmosDatabaseInitializer(client, sandbox.Database).InitializeAsync(CancellationToken.None);
        var outbox = new CosmosAnalyticsFacts(client, sandbox);
        AnalyticsFact Fact(string id, DateOnly day, string ageBand, string gender) => new("walkthrough-" + id, "dispensings", day, new Dictionary<string, string?>
        {
            ["state"] = "SK", ["district"] = "737", ["facilityType"] = "pharmacy", ["ageBand"] = ageBand, ["gender"] = gender, ["drugClass"] = "J01", ["drugList"] = "H",
        }, "IN-DEMO-PHARMACY-" + (id.Length % 2));
        var facts = Enumerable.Range(0, 12).Select(i => Fact($"3-{i}", month.AddDays(2), "30-44", "F"))
            .Concat(Enumerable.Range(0, 12).Select(i => Fact($"4-{i}", month.AddDays(3), "30-44", "F")))
            .Append(Fact("4-lone", month.AddDays(3), "75+", "M"));
        foreach (var fact in facts) await outbox.RecordAsync(fact, CancellationToken.None);
        Console.WriteLine($"analytics-demo-facts: 25 dispensing facts for SK on {month.AddDays(2):yyyy-MM-dd} and {month.AddDays(3):yyyy-MM-dd} in '{sandbox.Database}' (the host folds them in within ~10 s)");
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Skewed like real traffic: a few big states and districts, working-age adults, common drug classes.</summary>
    private static IEnumerable<AnalyticsFact> Generate(AnalyticsDefinitions definitions, int count, DateOnly firstMonth, Random random)
    {
        var days = firstMonth.AddMonths(3).DayNumber - firstMonth.DayNumber;
        for (var i = 0; i < count; i++)
        {
            var measure = definitions.Measures[random.Next(definitions.Measures.Count)];
            var state = Skewed(States, random);
            var dimensions = new Dictionary<string, string?>
            {
                ["state"] = state,
                ["district"] = (400 + Array.IndexOf(States, state) * 10 + (int)(random.NextDouble() * random.NextDouble() * 4)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["facilityType"] = Skewed(FacilityTypes, random),
                ["ageBand"] = AgeBands[Math.Min(AgeBands.Length - 1, (int)(random.NextDouble() * 3 + random.NextDouble() * 4.5))],
                ["gender"] = Genders[random.Next(Genders.Length)],
            };
            foreach (var d in measure.Dimensions)
            {
                dimensions[d.Name] = d.Values is { } values ? Skewed(values, random)
                    : d.Name == "specialty" ? Skewed(Specialties, random) : Skewed(DrugClasses, random);
            }

            double? value = measure.Value is null ? null : Math.Round(200 + random.NextDouble() * random.NextDouble() * 5000);
            yield return new AnalyticsFact("bench-" + i, measure.Name, firstMonth.AddDays(random.Next(days)), dimensions,
                "IN-BENCH-" + random.Next(200).ToString(System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    private static string Skewed(IReadOnlyList<string> values, Random random) => values[(int)(random.NextDouble() * random.NextDouble() * values.Count)];

    private sealed class CountingSliceStore(IAggregateSliceStore inner) : IAggregateSliceStore
    {
        public int Writes;

        public Task<Versioned<AggregateSlice>?> ReadAsync(SliceKey key, CancellationToken ct) => inner.ReadAsync(key, ct);

        public Task<bool> TryWriteAsync(AggregateSlice slice, string? ifMatch, CancellationToken ct)
        {
            Interlocked.Increment(ref Writes);
            return inner.TryWriteAsync(slice, ifMatch, ct);
        }

        public Task<IReadOnlyList<AggregateSlice>> ReadMonthAsync(string measure, int year, int month, CancellationToken ct) =>
            inner.ReadMonthAsync(measure, year, month, ct);
    }

    private sealed class NoFeed : IAnalyticsFactFeed
    {
        public Task<IReadOnlyList<string>> RangesAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task<FactPage> ReadAsync(string range, int maxItems, CancellationToken ct) => throw new NotSupportedException();

        public Task CheckpointAsync(FactPage page, CancellationToken ct) => Task.CompletedTask;
    }

    /// <summary>The audit append is measured by audit-load; here only the query's own cost.</summary>
    private sealed class NoAudit : IAuditTrail
    {
        public Task<AuditEntry> RecordAsync(AuditEvent auditEvent, CancellationToken ct) => Task.FromResult<AuditEntry>(null!);
    }
}
