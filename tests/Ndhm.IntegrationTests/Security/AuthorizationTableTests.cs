using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.Core.Security;

namespace Ndhm.IntegrationTests.Security;

/// <summary>
/// Drives every cell of docs/authorization.md against one running host: each operation of /api/openapi.json has
/// a row, each row names an operation that exists, and each caller gets the outcome its cell states.
/// </summary>
public sealed partial class AuthorizationTableTests(AuthorizationHostFixture host) : IClassFixture<AuthorizationHostFixture>
{
    private const int Parallelism = 8;

    [Fact]
    public async Task GivenTheOpenApiDocument_WhenComparedWithTheTable_ThenEveryOperationHasAnAnyRowAndEveryRowAnOperation()
    {
        var operations = await OperationsAsync();
        var rows = AuthorizationTable.Load();

        var missing = operations
            .Where(o => !rows.Any(r => r.Case == AuthorizationTable.AnyCase && o.Matches(r)))
            .Select(o => $"  {AuthorizationTable.SuggestRow(o.OperationId, o.Method, o.Route, o.Roles)}")
            .ToList();
        var stale = rows
            .Where(r => !operations.Any(o => o.Matches(r)))
            .Select(r => $"  line {r.Line}: {r.Key}")
            .ToList();
        var duplicated = rows.GroupBy(r => r.Key).Where(g => g.Count() > 1).Select(g => $"  {g.Key}").ToList();

        var message = new StringBuilder();
        if (missing.Count > 0)
        {
            message.AppendLine($"Operations without a row in {AuthorizationTable.RelativePath}; add these rows (suggested from [RequireRoles]/[PublicEndpoint]: check each cell is what you intend):");
            missing.ForEach(m => message.AppendLine(m));
        }

        if (stale.Count > 0)
        {
            message.AppendLine("Rows naming no operation of /api/openapi.json (renamed operation, changed route or method?); fix or remove:");
            stale.ForEach(s => message.AppendLine(s));
        }

        if (duplicated.Count > 0)
        {
            message.AppendLine("Rows listed twice:");
            duplicated.ForEach(d => message.AppendLine(d));
        }

        Assert.True(message.Length == 0, message.ToString());
    }

    [Fact]
    public async Task GivenEveryCellOfTheTable_WhenItsCallerSendsTheRowsRequest_ThenTheOutcomeIsTheCells()
    {
        var rows = AuthorizationTable.Load();
        Assert.NotEmpty(rows);
        var unknownCases = rows.Where(r => r.Case != AuthorizationTable.AnyCase && !Cases.ContainsKey(r.Case)).Select(r => $"line {r.Line}: '{r.Case}'").ToList();
        Assert.True(unknownCases.Count == 0, "Cases the test does not know (add them to AuthorizationTableTests.Cases): " + string.Join(", ", unknownCases));
        var incomplete = rows.Where(r => r.Case == AuthorizationTable.AnyCase && r.Outcomes.Values.Contains(Outcome.NotExercised)).Select(r => r.Key).ToList();
        Assert.True(incomplete.Count == 0, "'any' rows must state every column: " + string.Join(", ", incomplete));

        var cells = rows.SelectMany(r => r.Outcomes.Where(o => o.Value != Outcome.NotExercised).Select(o => (Row: r, Column: o.Key, Expected: o.Value))).ToList();
        using var gate = new SemaphoreSlim(Parallelism);
        var failures = await Task.WhenAll(cells.Select(async cell =>
        {
            await gate.WaitAsync();
            try
            {
                return await CheckAsync(cell.Row, cell.Column, cell.Expected);
            }
            finally
            {
                gate.Release();
            }
        }));

        var mismatches = failures.Where(f => f is not null).ToList();
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {cells.Count} cells of {AuthorizationTable.RelativePath} do not match the host:\n" + string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("| Op | GET | /api/x | any | 401 | 403 | ok | ok | ok | ok | ok | ok | ok | own |", true)]
    [InlineData("| Op | GET | /api/x | any | 401 | 403 | ok | ok | ok | ok | ok | ok | maybe | ok |", false)]
    [InlineData("| Op | GET | /api/x | any | 401 | 403 | ok |", false)]
    public void GivenATableLine_WhenParsed_ThenOnlyWellFormedRowsAreAccepted(string line, bool wellFormed)
    {
        var header = "| Operation | Method | Route | Case | " + string.Join(" | ", AuthorizationTable.Columns) + " |";

        var parse = () => AuthorizationTable.Parse([header, "|---|", line]);

        if (wellFormed)
        {
            var row = Assert.Single(parse());
            Assert.Equal(Outcome.OwnDataOnly, row.Outcomes[Roles.Analytics]);
        }
        else
        {
            Assert.Throws<FormatException>(() => parse());
        }
    }

    /// <returns>Null when the cell holds, else a line saying what differs.</returns>
    private async Task<string?> CheckAsync(AuthorizationRow row, string column, Outcome expected)
    {
        Probe probe;
        try
        {
            probe = row.Case == AuthorizationTable.AnyCase ? AnyProbe(row, column) : Cases[row.Case](host, row, column);
        }
        catch (Exception e)
        {
            return $"line {row.Line} {row.Key} as {column}: cannot build the request: {e.Message}";
        }

        using var request = probe.Request;
        HttpResponseMessage response;
        try
        {
            response = await host.Client.SendAsync(request);
        }
        catch (Exception e)
        {
            return $"line {row.Line} {row.Key} as {column}: expected {expected}, request failed: {e.GetType().Name} {e.Message}";
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var problem = Problem(response, body);
            var why = expected switch
            {
                Outcome.Unauthenticated => status == 401 ? null : "expected 401",
                Outcome.Forbidden => status == 403 ? null : "expected 403",
                Outcome.NotFound => status == 404 && problem is not null and not "ROUTE_NOT_FOUND" ? null : "expected 404 with a problem body",
                Outcome.Passes => status is 401 or 403 or >= 500 || response.StatusCode == HttpStatusCode.MethodNotAllowed || (status == 404 && problem is null or "ROUTE_NOT_FOUND")
                    ? "expected to pass authorization (any answer of the function but 401/403/5xx)"
                    : null,
                Outcome.OwnDataOnly => OwnDataOnly(status, body, probe),
                _ => null,
            };
            return why is null
                ? null
                : $"line {row.Line} {row.Key} as {column}: {why}, got {status}{(problem is null ? "" : " " + problem)}: {Shorten(body)}";
        }
    }

    private static string? OwnDataOnly(int status, string body, Probe probe)
    {
        if (status != 200) return "expected 200 with the caller's own data";
        var text = Digits(WithDecodedTokens(body));
        if (probe.Mine is { } mine && !text.Contains(Digits(mine), StringComparison.Ordinal)) return $"expected the answer to name the caller's {mine}";
        if (probe.Theirs is { } theirs && text.Contains(Digits(theirs), StringComparison.Ordinal)) return $"the answer names the other tenant's {theirs}";
        return null;
    }

    /// <summary>ABHA numbers appear hyphenated or not; compare them without hyphens.</summary>
    private static string Digits(string text) => text.Replace("-", "", StringComparison.Ordinal);

    /// <summary>The body plus the decoded payload of any compact JWS in it (the QR token carries the ABHA number inside).</summary>
    private static string WithDecodedTokens(string body)
    {
        var text = new StringBuilder(body);
        foreach (Match m in CompactJws().Matches(body))
        {
            var payload = m.Groups[1].Value.Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            text.Append(' ').Append(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
        }

        return text.ToString();
    }

    private static string? Problem(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var code) ? code.GetString() : "problem";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string body) => body.Length > 200 ? body[..200] + "…" : body;

    /// <summary>
    /// The generic request: path parameters filled with a value naming nothing, an empty JSON object as the body of
    /// POST/PUT/PATCH, the column's caller's token. It passes the gate or not; what the function then says is its own.
    /// </summary>
    private Probe AnyProbe(AuthorizationRow row, string column)
    {
        var url = PathParameter().Replace(row.Route, "probe-value").TrimStart('/');
        var request = new HttpRequestMessage(new HttpMethod(row.Method), url);
        if (row.Method is "POST" or "PUT" or "PATCH") request.Content = JsonContent.Create(new { });
        Authorize(request, host.TokenFor(column));
        return new Probe(request);
    }

    private static void Authorize(HttpRequestMessage request, string? token)
    {
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>A request for one cell, and for "own" cells what the answer must and must not name.</summary>
    private sealed record Probe(HttpRequestMessage Request, string? Mine = null, string? Theirs = null);

    /// <summary>The named cases rows may use besides "any", each building the request a column's caller sends.</summary>
    private static readonly Dictionary<string, Func<AuthorizationHostFixture, AuthorizationRow, string, Probe>> Cases = new()
    {
        ["HIP's own facility"] = (h, row, column) =>
            new Probe(Send(h, row, column, $"api/v1/facilities/{h.OwnFacility.Id}", Registry.RegistryApi.Facility("Authz Own Hospital", Registry.RegistryApi.UniqueDistrict()), h.OwnFacility.ETag)),
        ["another HIP's facility"] = (h, row, column) =>
            new Probe(Send(h, row, column, $"api/v1/facilities/{h.OtherHipFacility.Id}", Registry.RegistryApi.Facility("Taken Over Hospital", Registry.RegistryApi.UniqueDistrict()), h.OtherHipFacility.ETag)),
        ["another HIP's professional"] = (h, row, column) =>
            new Probe(Send(h, row, column, $"api/v1/professionals/{h.OtherHipProfessional.Id}", AuthorizationHostFixture.Professional("Dr Taken Over"), h.OtherHipProfessional.ETag)),
        ["another partner's delivery"] = (h, row, column) => row.Route.Contains("{id}", StringComparison.Ordinal)
            ? new Probe(Send(h, row, column, PathParameter().Replace(row.Route, h.OtherPartnerDeliveryId).TrimStart('/'), row.Method == "POST" ? new { } : null))
            : new Probe(Send(h, row, column, row.Route.TrimStart('/'), null), Theirs: h.OtherPartnerDeliveryId),
        ["another partner's record"] = (h, row, column) =>
            new Probe(Send(h, row, column, PathParameter().Replace(row.Route, h.OtherPartnerClientId).TrimStart('/'),
                row.Method == "GET" ? null : new { name = "Taken over", bridgeUrl = "http://localhost:9/taken-over" })),
        ["patient A naming patient B"] = (h, row, column) =>
        {
            // The Health ID patient endpoints take the subject from the token: naming B in the query changes nothing.
            var path = row.Route.TrimStart('/') + "?abhaNumber=" + h.PatientB.AbhaNumber;
            object? body = row.Method == "GET" ? null : new { email = "a.patient@example.org" };
            return new Probe(Send(h, row, column, path, body, token: column == Roles.Patient ? h.PatientA.Token : null), Mine: h.PatientA.AbhaNumber, Theirs: h.PatientB.AbhaNumber);
        },
    };

    private static HttpRequestMessage Send(AuthorizationHostFixture h, AuthorizationRow row, string column, string path, object? body, string? ifMatch = null, string? token = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(row.Method), path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (ifMatch is not null) request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        Authorize(request, token ?? h.TokenFor(column));
        return request;
    }

    private sealed record Operation(string OperationId, string Method, string Route, IReadOnlyCollection<string>? Roles)
    {
        public bool Matches(AuthorizationRow row) => row.Operation == OperationId && row.Method == Method && row.Route == Route;
    }

    private async Task<List<Operation>> OperationsAsync()
    {
        var document = JsonDocument.Parse(await host.Client.GetStringAsync("api/openapi.json")).RootElement;
        var operations = new List<Operation>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                var roles = method.Value.TryGetProperty("x-roles", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToList() : null;
                operations.Add(new Operation(method.Value.GetProperty("operationId").GetString()!, method.Name.ToUpperInvariant(), path.Name, roles));
            }
        }

        return operations;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex(@"ey[A-Za-z0-9_-]+\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*")]
    private static partial Regex CompactJws();
}
