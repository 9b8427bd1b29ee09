using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.Platform.BadInput;

/// <summary>
/// The bad-input suite generated from <c>/api/openapi.json</c>: every operation (so a new endpoint is covered without
/// writing a test), with a token of a role it allows, gets malformed JSON, wrong types, missing and null required
/// fields, unexpected fields, oversize strings and arrays, deep nesting, control and bidi characters, duplicate keys,
/// wrong and missing content types, chunked oversize bodies, hostile path segments and injection-looking strings
/// (<see cref="BadInputCases"/>). Each answer must be a 4xx with a stable code (problem+json; ABDM's
/// <c>{"error":{"code",...}}</c> on ABDM paths), never a 5xx, never a hang; the host's own Cosmos database and blob
/// container are compared before and after. By default a deterministic sample of <see cref="DefaultPerOperation"/>
/// cases per operation runs; <c>NDHM_BADINPUT=full</c> runs every case, <c>NDHM_BADINPUT=N</c> N per operation.
/// </summary>
public sealed class GeneratedBadInputTests(BadInputHostFixture sandbox, ITestOutputHelper output) : IClassFixture<BadInputHostFixture>
{
    public const int DefaultPerOperation = 6;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(45);
    private const int Parallelism = 4;

    [Fact]
    public async Task GivenEveryOperation_WhenSentGeneratedBadInput_ThenEachIsRefusedWithAStableCodeAndNothingIsStored()
    {
        var document = JsonNode.Parse(await sandbox.Client.GetStringAsync("api/openapi.json"))!.AsObject();
        var components = document["components"]?["schemas"] as JsonObject ?? [];
        var operations = BadInputOperation.FromOpenApi(document);
        var perOperation = PerOperation();
        var cases = operations.SelectMany(o => Sample(BadInputCases.For(o, components).ToList(), perOperation).Select(c => (Operation: o, Case: c))).ToList();
        Assert.NotEmpty(cases);

        var tokens = new ConcurrentDictionary<string, Task<string>>();
        foreach (var operation in operations.Where(o => o.Roles.Count > 0))
        {
            _ = tokens.GetOrAdd(operation.Roles[0], role => SandboxHostFixture.TokenForAsync(sandbox.Client, "badinput-" + role.ToLowerInvariant(), role));
        }

        foreach (var token in tokens.Values) await token;

        // Refusals first, compared before and after; then input the rules accept (ignored fields, injection-looking
        // text), which must still never fail or hang but may be stored like any valid request.
        var before = await sandbox.StoredAsync();
        var findings = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<string, int>();
        var fiveHundreds = 0;
        var strict = cases.Where(c => c.Case.MustBeRefused).ToList();
        await RunAsync(strict);
        var after = await sandbox.StoredAsync();
        var (changes, attempts) = after.ChangesSince(before);
        await RunAsync(cases.Where(c => !c.Case.MustBeRefused).ToList());

        var summary = new List<string>
        {
            $"bad input ({(perOperation == int.MaxValue ? "full" : perOperation + " per operation")}): {operations.Count} operations, " +
            $"{cases.Count} requests ({strict.Count} that must be refused), {fiveHundreds} 5xx, {findings.Count} findings, " +
            $"{changes.Count} changed documents ({before.Entries.Count} before; {attempts.Count} records of the attempts themselves: " +
            $"{attempts.Count(a => a.Contains(" audit/", StringComparison.Ordinal))} audit entries of refused lookups, " +
            $"{attempts.Count(a => a.Contains(" rate-limits/", StringComparison.Ordinal))} abuse-limit counters)",
            "  statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} x{s.Value}")),
        };
        summary.AddRange(findings.Order(StringComparer.Ordinal).Select(f => "  finding: " + f));
        summary.AddRange(changes.Select(c => "  stored data " + c));
        foreach (var line in summary) output.WriteLine(line);
        TestRunSummary.Add(summary[0]);
        foreach (var line in summary.Skip(2).Take(40)) TestRunSummary.Add(line);

        Assert.True(findings.IsEmpty && changes.Count == 0, string.Join('\n', summary));

        async Task RunAsync(IReadOnlyList<(BadInputOperation Operation, BadInputCase Case)> batch)
        {
            using var gate = new SemaphoreSlim(Parallelism);
            await Task.WhenAll(batch.Select(async item =>
            {
                await gate.WaitAsync();
                try
                {
                    var token = item.Operation.Roles.Count > 0 ? await tokens[item.Operation.Roles[0]] : null;
                    var (status, finding) = await SendAsync(item.Operation, item.Case, token);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status.StartsWith('5')) Interlocked.Increment(ref fiveHundreds);
                    if (finding is not null) findings.Add($"{item.Case.Method} /{Shorten(item.Case.Path)} [{item.Case.Kind}: {Shorten(item.Case.Description)}] -> {finding}");
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
    }

    [Fact]
    public void GivenTheSameOperation_WhenCasesAreGeneratedTwice_ThenTheSampleIsTheSame()
    {
        var operation = new BadInputOperation("Probe", HttpMethod.Post, "/api/v1/things/{thingId}", ["HIP"], ["thingId"],
            new JsonObject { ["type"] = "object", ["required"] = new JsonArray("name"), ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" } } },
            new JsonObject { ["name"] = "x" }, []);

        var first = Sample(BadInputCases.For(operation, []).ToList(), DefaultPerOperation).Select(c => c.Name).ToList();
        var second = Sample(BadInputCases.For(operation, []).ToList(), DefaultPerOperation).Select(c => c.Name).ToList();

        Assert.Equal(DefaultPerOperation, first.Count);
        Assert.Equal(first, second);
        Assert.Contains(BadInputCases.For(operation, []), c => c.Kind == "missing-required" && c.Description == "name");
    }

    private static int PerOperation() => Environment.GetEnvironmentVariable("NDHM_BADINPUT") switch
    {
        "full" => int.MaxValue,
        { } n when int.TryParse(n, out var count) && count > 0 => count,
        _ => DefaultPerOperation,
    };

    /// <summary>A deterministic sample: the cases whose names hash lowest (FNV-1a), so every run sends the same ones.</summary>
    public static IReadOnlyList<BadInputCase> Sample(IReadOnlyList<BadInputCase> cases, int count) =>
        count >= cases.Count ? cases : cases.OrderBy(c => Fnv(c.Name)).ThenBy(c => c.Name, StringComparer.Ordinal).Take(count).ToList();

    private static uint Fnv(string text)
    {
        var hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text)) hash = (hash ^ b) * 16777619;
        return hash;
    }

    /// <summary>Sends one case; returns its status ("timeout" for a hang) and what is wrong with the answer, if anything.</summary>
    private async Task<(string Status, string? Finding)> SendAsync(BadInputOperation operation, BadInputCase badInput, string? token)
    {
        // Every request on a connection of its own, written as is: hostile segments are not canonicalised by a client,
        // and an answer sent while a large body is still being written is read (HttpClient would report a broken pipe).
        using var cts = new CancellationTokenSource(RequestTimeout);
        var headers = new Dictionary<string, string>();
        if (token is not null) headers["Authorization"] = "Bearer " + token;
        if (badInput.ContentType is not null) headers["Content-Type"] = badInput.ContentType;
        RawHttp.Answer? answer;
        try
        {
            answer = await RawHttp.SendAsync(sandbox.Client.BaseAddress!.Port, badInput.Method, badInput.Path, headers, badInput.Body, badInput.Chunked, cts.Token);
        }
        catch (OperationCanceledException)
        {
            return ("timeout", $"no answer within {RequestTimeout.TotalSeconds} s");
        }

        return answer is null
            ? ("no answer", "connection closed without an answer")
            : (answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), Judge(operation, badInput, answer.Status, answer.MediaType, answer.Body));
    }

    private static string? Judge(BadInputOperation operation, BadInputCase badInput, int status, string? media, string body) =>
        status >= 500 ? $"{status} {Shorten(body)}"
        : status < 400 && badInput.MustBeRefused ? $"accepted: {status} {Shorten(body)}"
        : status >= 400 ? ShapeProblem(operation, badInput, status, media, body)
        : null;

    /// <summary>What is wrong with an error answer's shape, or null: a stable code in problem+json, or ABDM's shape on ABDM paths.</summary>
    private static string? ShapeProblem(BadInputOperation operation, BadInputCase badInput, int status, string? media, string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            return $"{status} without a JSON body ({media}): {Shorten(body)}";
        }

        if (operation.IsAbdmPath && badInput.Path.StartsWith(operation.PathTemplate.TrimStart('/').Split('{')[0], StringComparison.OrdinalIgnoreCase))
        {
            return media == "application/json" && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
                   && error.TryGetProperty("code", out var abdm) && abdm.GetString() is { Length: > 0 }
                ? null
                : $"{status} not in ABDM's error shape ({media}): {Shorten(body)}";
        }

        return media == "application/problem+json" && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code)
               && code.GetString() is { Length: > 0 }
            ? null
            : $"{status} not problem+json with a code ({media}): {Shorten(body)}";
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "...";
}

/// <summary>A host of its own (its own Cosmos database and health-record blob container), so its stored data can be compared.</summary>
public sealed class BadInputHostFixture : IAsyncLifetime
{
    private LocalHostProcess? host;

    public string Database { get; } = TestRun.Id + "badinput";

    public string BlobContainer { get; } = TestRun.Id + "-badinput";

    public HttpClient Client => (host ?? throw new InvalidOperationException("not started")).Client;

    public async Task InitializeAsync() => host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
    {
        ["Cosmos__Database"] = Database,
        ["Phr__BlobContainer"] = BlobContainer,
    });

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }

    public async Task<StoredData> StoredAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        return await StoredData.TakeAsync(Database, BlobContainer, cts.Token);
    }
}
