using Ndhm.Core.Security;

namespace Ndhm.IntegrationTests.Security;

/// <summary>
/// The checked-in authorization table (docs/authorization.md): one row per HTTP operation and case, one expected
/// outcome per caller column. The markdown table is the source; this reads it.
/// </summary>
public static class AuthorizationTable
{
    public const string Anonymous = "anonymous";

    /// <summary>The case every operation has: a request that names nothing the caller is related to.</summary>
    public const string AnyCase = "any";

    public const string RelativePath = "docs/authorization.md";

    /// <summary>Caller columns, in table order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        [Anonymous, Roles.Patient, Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.PlatformAdmin, Roles.Analytics];

    private static readonly string[] Header = ["Operation", "Method", "Route", "Case", .. Columns];

    public static string FullPath => Path.Combine(Support.SandboxEndpoints.RepoRoot, RelativePath);

    public static IReadOnlyList<AuthorizationRow> Load() => Parse(File.ReadAllLines(FullPath));

    /// <summary>Reads the table whose header is exactly <see cref="Header"/>; other markdown around it is ignored.</summary>
    public static IReadOnlyList<AuthorizationRow> Parse(IEnumerable<string> lines)
    {
        var rows = new List<AuthorizationRow>();
        var inTable = false;
        var lineNumber = 0;
        foreach (var raw in lines)
        {
            lineNumber++;
            var line = raw.Trim();
            if (!line.StartsWith('|'))
            {
                inTable = false;
                continue;
            }

            var cells = Cells(line);
            if (cells.SequenceEqual(Header))
            {
                inTable = true;
                continue;
            }

            if (!inTable || cells.All(c => c.Trim('-', ':').Length == 0))
            {
                continue;
            }

            if (cells.Length != Header.Length)
            {
                throw new FormatException($"{RelativePath}:{lineNumber}: {cells.Length} cells, expected {Header.Length}: {line}");
            }

            var outcomes = new Dictionary<string, Outcome>();
            for (var i = 0; i < Columns.Count; i++)
            {
                outcomes[Columns[i]] = ParseOutcome(cells[4 + i], lineNumber);
            }

            rows.Add(new AuthorizationRow(cells[0], cells[1].ToUpperInvariant(), cells[2], cells[3], outcomes, lineNumber));
        }

        return rows;
    }

    /// <summary>The row to add for an operation the table lacks, suggested from its declared roles (to be reviewed).</summary>
    public static string SuggestRow(string operationId, string method, string route, IReadOnlyCollection<string>? roles)
    {
        var cells = Columns.Select(column => roles is null
            ? "ok"
            : column == Anonymous ? "401" : roles.Contains(column) ? "ok" : "403");
        return $"| {operationId} | {method} | {route} | {AnyCase} | {string.Join(" | ", cells)} |";
    }

    private static string[] Cells(string line) =>
        line.Trim('|').Split('|').Select(c => c.Trim().Trim('`')).ToArray();

    private static Outcome ParseOutcome(string cell, int lineNumber) => cell switch
    {
        "401" => Outcome.Unauthenticated,
        "403" => Outcome.Forbidden,
        "404" => Outcome.NotFound,
        "ok" => Outcome.Passes,
        "own" => Outcome.OwnDataOnly,
        "-" => Outcome.NotExercised,
        _ => throw new FormatException($"{RelativePath}:{lineNumber}: unknown outcome '{cell}' (401, 403, 404, ok, own or -)"),
    };
}

public enum Outcome
{
    /// <summary>401: no or no valid credentials.</summary>
    Unauthenticated,

    /// <summary>403: authenticated, but this caller may not do this.</summary>
    Forbidden,

    /// <summary>404 with a problem body: the resource is hidden from this caller (as if it did not exist).</summary>
    NotFound,

    /// <summary>Passes authorization: the function answered with anything but 401/403 and no server error.</summary>
    Passes,

    /// <summary>200, and the answer names the caller's own subject and never the other tenant's.</summary>
    OwnDataOnly,

    /// <summary>This row does not exercise this column (the operation's "any" row does).</summary>
    NotExercised,
}

public sealed record AuthorizationRow(
    string Operation, string Method, string Route, string Case, IReadOnlyDictionary<string, Outcome> Outcomes, int Line)
{
    public string Key => $"{Operation} {Method} {Route} [{Case}]";
}
