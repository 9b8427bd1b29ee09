using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ndhm.Benchmarks.Capacity;

/// <summary>
/// Request units per platform operation, for the capacity model (infra/README.md, "Capacity at national scale"). Drives
/// each flow one at a time against a running sandbox (with the sample partners) whose Cosmos emulator writes its
/// request trace (<c>COSMOS_EMULATOR_TRACE</c>), and reads the trace lines each flow caused (its background work
/// included: callbacks, queue consumers): the Cosmos requests by kind, the charge the emulator reported (its
/// <c>x-ms-request-charge</c>, a flat 1 per request, so it only counts requests), and the charge Azure's published RU
/// model gives for those requests and their document sizes (<see cref="ModelledCharge"/>).
/// Usage: dotnet run -c Release --project tests/Ndhm.Benchmarks -- capacity-ru [hostBaseUrl] [partnersUrl] [traceFile] [iterations]
/// </summary>
public static partial class RequestUnitsPerOperation
{
    public static async Task<int> RunAsync(string[] args)
    {
        var host = args.Length > 0 ? args[0].TrimEnd('/') + "/" : "http://127.0.0.1:7071/";
        var partnersUrl = args.Length > 1 ? args[1].TrimEnd('/') + "/" : "http://127.0.0.1:7072/";
        var trace = args.Length > 2 ? args[2] : Environment.GetEnvironmentVariable("COSMOS_EMULATOR_TRACE") ?? "";
        var iterations = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        if (!File.Exists(trace))
        {
            Console.Error.WriteLine($"no Cosmos trace at '{trace}': start the sandbox with COSMOS_EMULATOR_TRACE=<file> local-emulators/sandbox.sh up");
            return 2;
        }

        using var platform = new HttpClient { BaseAddress = new Uri(host), Timeout = TimeSpan.FromSeconds(60) };
        using var partners = new HttpClient { BaseAddress = new Uri(partnersUrl), Timeout = TimeSpan.FromSeconds(60) };
        var flows = new CapacityFlows(platform, partners);
        var results = new List<(string Flow, int Runs, List<TraceLine> Lines)>();

        async Task MeasureAsync(string name, int runs, Func<Task> flow)
        {
            await QuietAsync(trace);
            var start = new FileInfo(trace).Length;
            for (var i = 0; i < runs; i++) await flow();
            await QuietAsync(trace);
            results.Add((name, runs, ReadFrom(trace, start)));
        }

        await flows.PrepareAsync();
        await MeasureAsync("enrolment (OTP, verify, ABHA address)", iterations, flows.EnrolAsync);
        await MeasureAsync("ABHA lookup (verification)", iterations * 4, flows.LookupAsync);
        await MeasureAsync("profile fetch (patient)", iterations * 4, flows.ProfileAsync);
        await MeasureAsync("facility registration (HFR)", iterations, flows.RegisterFacilityAsync);
        await MeasureAsync("discovery + link + confirm (2 care contexts)", 1, flows.LinkAsync);
        await MeasureAsync("consent request + grant + notify", iterations, flows.ConsentAsync);
        await MeasureAsync("data transfer (request, 2 documents pushed)", 1, flows.TransferAsync);

        Console.WriteLine("| Operation | Cosmos requests | point reads | creates | replaces/upserts | deletes | queries (cross-partition) | emulator RU (reported) | modelled RU |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (flow, runs, lines) in results)
        {
            var data = lines.Where(l => l.Kind != "metadata").ToList();
            string Per(Func<TraceLine, bool> which) => (data.Count(which) / (double)runs).ToString("0.#", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {flow} | {Per(_ => true)} | {Per(l => l.Kind == "read")} | {Per(l => l.Kind == "create")} | {Per(l => l.Kind is "replace" or "upsert")} | " +
                $"{Per(l => l.Kind == "delete")} | {Per(l => l.Kind == "query")} ({Per(l => l.Kind == "query" && l.CrossPartition)}) | " +
                $"{data.Sum(l => l.ReportedCharge) / runs:0.#} | {data.Sum(ModelledCharge) / runs:0.#} |"));
        }

        Console.WriteLine($"(per run of each operation; {iterations} enrolments, consents and registrations, {iterations * 4} lookups and profile fetches, one link and one transfer; " +
                          "background work the flow caused is included; metadata requests are left out)");
        return 0;
    }

    /// <summary>
    /// Azure's published RU model for a request (docs "Request Units in Azure Cosmos DB" and the capacity planner): a
    /// point read of 1 KB costs 1 RU and about 1 RU per further KB; a 1 KB insert with the default (all paths) indexing
    /// about 5.5 RU and about 1 RU per further KB; a replace about twice an insert (old index terms out, new in); a
    /// delete about an insert; an in-partition query about 2.5 RU plus about 1 RU per KB returned, and a
    /// cross-partition one that much again per physical partition it fans out to (counted here as one).
    /// </summary>
    public static double ModelledCharge(TraceLine line)
    {
        var kb = Math.Max(1.0, line.Bytes / 1024.0);
        return line.Kind switch
        {
            "read" => line.Status == 404 ? 1 : kb,
            "create" => line.Status >= 400 ? 1 : 5.5 + (kb - 1),
            "replace" or "upsert" => line.Status >= 400 ? 1 : line.Status == 201 ? 5.5 + (kb - 1) : 2 * (5.5 + (kb - 1)),
            "delete" => line.Status >= 400 ? 1 : 5.5 + (kb - 1),
            "query" => 2.5 + Math.Max(0, line.Bytes / 1024.0),
            _ => 0,
        };
    }

    public sealed record TraceLine(string Kind, int Status, long Bytes, bool CrossPartition, double ReportedCharge);

    private static List<TraceLine> ReadFrom(string trace, long offset)
    {
        using var stream = new FileStream(trace, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var lines = new List<TraceLine>();
        while (reader.ReadLine() is { } text)
        {
            if (Parse(text) is { } line) lines.Add(line);
        }

        return lines;
    }

    /// <summary>One line of the emulator's trace: <c>METHOD url -> status {headers} etag=... req=N res=M charge=C</c>.</summary>
    public static TraceLine? Parse(string text)
    {
        var match = TraceLinePattern().Match(text);
        if (!match.Success) return null;
        var method = match.Groups["method"].Value;
        var url = match.Groups["url"].Value;
        var status = int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture);
        var headers = JsonDocument.Parse(match.Groups["headers"].Value).RootElement;
        bool Header(string name) => headers.TryGetProperty(name, out var v) && v.GetString()?.Equals("true", StringComparison.OrdinalIgnoreCase) == true;
        var requestBytes = long.Parse(match.Groups["req"].Value, CultureInfo.InvariantCulture);
        var responseBytes = long.Parse(match.Groups["res"].Value, CultureInfo.InvariantCulture);
        var charge = double.Parse(match.Groups["charge"].Value, CultureInfo.InvariantCulture);
        var docs = DocsPath().Match(url);
        var kind = !docs.Success ? "metadata"
            : Header("x-ms-cosmos-is-query-plan-request") ? "metadata"
            : headers.TryGetProperty("a-im", out _) ? "changefeed"
            : method == "GET" && docs.Groups["id"].Success ? "read"
            : method == "POST" && (Header("x-ms-documentdb-isquery") || (headers.TryGetProperty("content-type", out var ct) && ct.GetString() == "application/query+json")) ? "query"
            : method == "POST" && Header("x-ms-documentdb-is-upsert") ? "upsert"
            : method == "POST" ? "create"
            : method == "PUT" ? "replace"
            : method == "DELETE" ? "delete"
            : "metadata";
        var bytes = kind is "create" or "replace" or "upsert" ? requestBytes : responseBytes;
        var crossPartition = kind == "query" && !headers.TryGetProperty("x-ms-documentdb-partitionkey", out _);
        return new TraceLine(kind, status, bytes, crossPartition, charge);
    }

    // Wait until the emulator has seen no request for a while (the flow's background work has finished).
    private static async Task QuietAsync(string trace)
    {
        var last = -1L;
        var quietSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var length = new FileInfo(trace).Length;
            if (length != last) { last = length; quietSince = DateTime.UtcNow; }
            else if (DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(3)) return;
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"^(?<method>[A-Z]+) (?<url>\S+) -> (?<status>\d+) (?<headers>\{.*\}) etag=\S* req=(?<req>\d+) res=(?<res>\d+) charge=(?<charge>[0-9.]+)$")]
    private static partial Regex TraceLinePattern();

    [GeneratedRegex(@"/dbs/[^/]+/colls/[^/]+/docs(/(?<id>[^/?]+))?")]
    private static partial Regex DocsPath();
}
