using System.Collections.Concurrent;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// Lines a suite wants printed at the end of the run (test.sh prints the run report): e.g. the generated bad-input
/// suite's operations, requests, 5xx and changed documents.
/// </summary>
public static class TestRunSummary
{
    private static readonly ConcurrentQueue<string> Added = new();

    public static IReadOnlyList<string> Lines => [.. Added];

    public static void Add(string line) => Added.Enqueue(line);
}
