using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Health;

namespace Ndhm.Triggers.Operations;

/// <summary>
/// The self-test's side effects. Both activities only read, so a retry or a replay after a host restart that
/// runs one twice changes nothing.
/// </summary>
public sealed class SelfTestActivities(IEnumerable<IDependencyProbe> probes, ILogger<SelfTestActivities> logger)
{
    public const string ListProbes = "SelfTestListProbes";
    public const string RunProbe = "SelfTestRunProbe";

    // A probe promises its own short timeout; this is the backstop so a hung probe cannot hold the self-test.
    private static readonly TimeSpan ProbeBackstop = TimeSpan.FromSeconds(15);

    [Function(ListProbes)]
    public List<string> ListProbeNames([ActivityTrigger] string? selfTestId)
    {
        var names = probes.Select(p => p.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        logger.LogInformation("Self-test {SelfTestId}: {Count} probes", selfTestId, names.Count);
        return names;
    }

    [Function(RunProbe)]
    public async Task<ProbeOutcome> RunProbeByName([ActivityTrigger] string probeName, CancellationToken ct)
    {
        var probe = probes.FirstOrDefault(p => p.Name == probeName);
        if (probe is null)
        {
            // Configuration changed between the listing and this run (e.g. a redeploy during the pause).
            return new ProbeOutcome(probeName, false, 0, "No such probe is registered.");
        }

        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeBackstop);
        try
        {
            var result = await probe.CheckAsync(timeout.Token);
            return new ProbeOutcome(probeName, result.Healthy, result.ElapsedMs, result.Error);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Probe {Probe} failed", probeName);
            var error = e is OperationCanceledException ? $"No answer within {ProbeBackstop.TotalSeconds:0} s." : e.GetType().Name;
            return new ProbeOutcome(probeName, false, clock.ElapsedMilliseconds, error);
        }
    }
}
