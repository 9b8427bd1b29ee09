using System.Globalization;
using System.Text.RegularExpressions;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// The names of everything this test run creates in the shared emulators (the ones a developer's sandbox may
/// be running), so the run never writes into the developer's own data: its Cosmos database, the hosts' task
/// hubs, callback queues and timer host id all start with <see cref="Id"/>, and <see cref="TestRunResources"/>
/// removes them at the end of the run.
/// </summary>
public static partial class TestRun
{
    /// <summary>
    /// <c>test</c> + the UTC start (<c>yyMMddHHmm</c>) + 6 random letters or digits: lower-case letters and digits
    /// only, so one id is a valid Cosmos database, queue and container prefix, table prefix and task hub name, and
    /// the start time in the name lets a later run remove what a crashed run left behind.
    /// </summary>
    public static string Id { get; } =
        Environment.GetEnvironmentVariable("NDHM_TEST_RUN_ID") is { Length: > 0 } given && RunId().IsMatch(given)
            ? given
            : NewId(DateTime.UtcNow);

    /// <summary>Leftovers of runs that started longer ago than this are removed by the next run.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(3);

    /// <summary>The Cosmos database the run's hosts and direct-access tests share.</summary>
    public static string CosmosDatabase => Id;

    /// <summary>Where test hosts keep their timer schedule status (the developer's host uses <c>ndhm-localhost</c>).</summary>
    public static string HostId => Id;

    /// <summary>A task hub of its own for one host (letters and digits, at most 45 characters).</summary>
    public static string NewTaskHub() => Id + "h" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A Storage queue of its own for one host, e.g. its callback queue.</summary>
    public static string NewQueue(string purpose) => $"{Id}-{purpose}-{Guid.NewGuid().ToString("N")[..12]}";

    /// <summary>The blob container of the run's health-record payloads (hosts and direct-access tests share it; removed with the run).</summary>
    public static string PhrContainer => Id + "-phr";

    public static string NewId(DateTime utcNow) =>
        "test" + utcNow.ToString("yyMMddHHmm", CultureInfo.InvariantCulture)
        + string.Concat(Enumerable.Range(0, 6).Select(_ => "abcdefghijklmnopqrstuvwxyz0123456789"[Random.Shared.Next(36)]));

    /// <summary>The start of the run that named <paramref name="resource"/>, or null when no test run named it.</summary>
    public static DateTime? StartOf(string resource)
    {
        var match = RunPrefix().Match(resource);
        return match.Success && DateTime.TryParseExact(match.Groups[1].Value, "yyMMddHHmm", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var start)
            ? start
            : null;
    }

    /// <summary>True for a resource of this run, or of a run that started more than <see cref="StaleAfter"/> ago.</summary>
    public static bool IsOursOrStale(string resource, DateTime utcNow) =>
        resource.StartsWith(Id, StringComparison.OrdinalIgnoreCase)
        || (StartOf(resource) is { } start && start < utcNow - StaleAfter);

    [GeneratedRegex("^test[0-9]{10}[a-z0-9]{6}$")]
    private static partial Regex RunId();

    [GeneratedRegex("^test([0-9]{10})[a-z0-9]{6}", RegexOptions.IgnoreCase)]
    private static partial Regex RunPrefix();
}
