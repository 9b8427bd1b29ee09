using System.Diagnostics;

namespace Ndhm.Core.Health;

/// <summary>
/// Asks every dependency probe at once and bounds the whole check, so a dead dependency is reported within
/// seconds instead of holding the caller until some client-side timeout.
/// </summary>
public sealed class HealthCheck(IEnumerable<IDependencyProbe> probes, TimeProvider time)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthReport> RunAsync(TimeSpan timeout, CancellationToken ct)
    {
        var results = await Task.WhenAll(probes.Select(p => RunOneAsync(p, timeout, ct)));
        return new HealthReport(results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    private async Task<ProbeResult> RunOneAsync(IDependencyProbe probe, TimeSpan timeout, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            var check = probe.CheckAsync(bounded.Token);
            var finished = await Task.WhenAny(check, Task.Delay(timeout, time, CancellationToken.None));
            if (finished != check)
            {
                _ = check.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                return new ProbeResult(probe.Name, false, Elapsed(started), $"no answer within {timeout.TotalSeconds:0.#} s");
            }

            return await check;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return new ProbeResult(probe.Name, false, Elapsed(started), Describe(e));
        }
    }

    private long Elapsed(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;

    // Operators need the kind of failure, not a stack trace or connection strings.
    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        _ => e.GetType().Name + ": " + FirstLine(e.Message),
    };

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 200 ? line[..200] : line;
    }
}

public sealed record HealthReport(IReadOnlyList<ProbeResult> Dependencies)
{
    public bool Healthy => Dependencies.All(d => d.Healthy);

    public IEnumerable<string> Failing => Dependencies.Where(d => !d.Healthy).Select(d => d.Name);
}
