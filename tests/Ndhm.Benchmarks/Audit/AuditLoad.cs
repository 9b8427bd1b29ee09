using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Audit;
using Ndhm.Infrastructure.Audit;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Benchmarks.Audit;

/// <summary>
/// The cost of auditing, against the sandbox's Cosmos emulator (no functions host needed): the same operation (a
/// point read of a patient's record document) run plain and then audited (the read plus one append to the patient's
/// chain: a cached head and one create-only write), across many patients' chains and then all on one chain written
/// by two trail instances, as two hosts would (appends within one instance queue per chain; across instances they
/// race for the same next place: conflicts, head reads, retries). Prints throughput, mean latency, the
/// ratio audited/plain and the conflicts seen.
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- audit-load [operations] [concurrency] [patients]
/// </summary>
public static class AuditLoad
{
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static async Task<int> RunAsync(string[] args)
    {
        var operations = args.Length > 0 ? int.Parse(args[0]) : 1000;
        var concurrency = args.Length > 1 ? int.Parse(args[1]) : 8;
        var patients = args.Length > 2 ? int.Parse(args[2]) : 50;
        var settings = new CosmosSettings
        {
            Endpoint = new Uri(Environment.GetEnvironmentVariable("NDHM_COSMOS_ENDPOINT") ?? "https://127.0.0.1:8081/"),
            Database = "ndhm", Key = EmulatorKey, AcceptAnyCertificate = true,
        };
        using var cosmos = CosmosClientFactory.Create(settings);
        var records = cosmos.GetContainer(settings.Database, CosmosContainers.Operations.Name);
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(0, patients).Select(i => $"bench-record-{run}-{i}").ToArray();
        foreach (var id in ids)
        {
            await records.UpsertItemAsync(new JsonObject { ["id"] = id, ["pk"] = id, ["ttl"] = 3600, ["diagnosis"] = "benchmark" }, new PartitionKey(id));
        }

        var store = new CountingStore(new CosmosAuditStore(cosmos, settings));
        var trail = new AuditTrail(store, TimeProvider.System);
        var otherInstance = new AuditTrail(store, TimeProvider.System); // a second host appending to the same chains
        var chains = ids.Select(id => AuditChainKey.Patient("91" + Math.Abs(id.GetHashCode() % 1_000_000_000_000L).ToString("D12"))).ToArray();
        var oneChain = AuditChainKey.Partner("bench-" + run);

        async Task ReadAsync(int i, CancellationToken ct)
        {
            var id = ids[i % ids.Length];
            using var response = await records.ReadItemStreamAsync(id, new PartitionKey(id), cancellationToken: ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"point read {response.StatusCode}");
        }

        Task AuditAsync(string chain, int i, CancellationToken ct, AuditTrail? by = null) =>
            (by ?? trail).RecordAsync(new AuditEvent(chain, new AuditActor("bench-hiu", ["HIU"], "bench-hiu", RequestId: $"bench-{i}"), "record.read",
                new AuditResource("record", ids[i % ids.Length]), "CAREMGT", "consent-bench"), ct);

        // Warm-up: connections, the heads of every chain cached (as on a host that has served these patients before).
        await TimeAsync(ids.Length, concurrency, async (i, ct) => { await ReadAsync(i, ct); await AuditAsync(chains[i % chains.Length], i, ct); });

        var plain = await TimeAsync(operations, concurrency, ReadAsync);
        store.Reset();
        var audited = await TimeAsync(operations, concurrency, async (i, ct) =>
        {
            await ReadAsync(i, ct);
            await AuditAsync(chains[i % chains.Length], i, ct);
        });
        var (spreadAppends, spreadConflicts) = (store.Appends, store.Conflicts);
        store.Reset();
        var contended = await TimeAsync(operations, concurrency, async (i, ct) =>
        {
            await ReadAsync(i, ct);
            await AuditAsync(oneChain, i, ct, i % 2 == 0 ? trail : otherInstance);
        });

        Console.WriteLine($"audit-load: {operations} operations, concurrency {concurrency}, {patients} patients' chains (Cosmos emulator {settings.Endpoint})");
        Print("plain point read", plain, operations, null);
        Print($"audited, {patients} chains", audited, operations, plain);
        Console.WriteLine($"    {spreadAppends} appends, {spreadConflicts} conflicts retried");
        Print("audited, one chain, 2 hosts", contended, operations, plain);
        Console.WriteLine($"    {store.Appends} appends, {store.Conflicts} conflicts retried");
        return 0;
    }

    private static void Print(string name, TimeSpan elapsed, int operations, TimeSpan? baseline)
    {
        var perSecond = operations / elapsed.TotalSeconds;
        var meanMs = elapsed.TotalMilliseconds / operations;
        var ratio = baseline is { } b ? $"   x{elapsed.TotalSeconds / b.TotalSeconds:F2} the plain cost" : "";
        Console.WriteLine($"  {name,-28} {perSecond,9:F0} ops/s   {meanMs,7:F3} ms/op (wall / ops){ratio}");
    }

    private static async Task<TimeSpan> TimeAsync(int count, int concurrency, Func<int, CancellationToken, Task> operation)
    {
        var sw = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, ct) => await operation(i, ct));
        return sw.Elapsed;
    }

    /// <summary>Counts writes that landed and writes that lost a race, to show the one-write-per-operation cost.</summary>
    private sealed class CountingStore(IAuditEntryStore inner) : IAuditEntryStore
    {
        private int appends, conflicts;
        public int Appends => appends;
        public int Conflicts => conflicts;
        public void Reset() => (appends, conflicts) = (0, 0);

        public async Task<bool> TryAppendAsync(SealedAuditEntry entry, CancellationToken ct)
        {
            var ok = await inner.TryAppendAsync(entry, ct);
            Interlocked.Increment(ref ok ? ref appends : ref conflicts);
            return ok;
        }

        public Task<SealedAuditEntry?> ReadHeadAsync(string chain, CancellationToken ct) => inner.ReadHeadAsync(chain, ct);
        public Task<SealedAuditEntry?> ReadEntryAsync(string chain, long seq, CancellationToken ct) => inner.ReadEntryAsync(chain, seq, ct);
        public Task<IReadOnlyList<SealedAuditEntry>> ReadChainAsync(string chain, CancellationToken ct) => inner.ReadChainAsync(chain, ct);
        public Task<IReadOnlyList<SealedAuditEntry>> ReadNewestFirstAsync(string chain, long? beforeSeq, int take, CancellationToken ct) =>
            inner.ReadNewestFirstAsync(chain, beforeSeq, take, ct);
        public Task<IReadOnlyList<string>> ListChainsAsync(CancellationToken ct) => inner.ListChainsAsync(ct);
    }
}
