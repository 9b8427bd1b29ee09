using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Ndhm.Triggers.Operations;

/// <summary>
/// The operators' self-test: every dependency probe, a durable pause, every probe again. The second pass shows
/// whether a dependency stays up over time (and, on a sandbox, that durable timers and a host restart in between
/// work). Deterministic: time from the context, all I/O in activities.
/// </summary>
public static class PlatformSelfTest
{
    public const string Name = nameof(PlatformSelfTest);

    [Function(Name)]
    public static async Task<SelfTestReport> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var request = context.GetInput<SelfTestRequest>() ?? new SelfTestRequest();
        var startedAt = context.CurrentUtcDateTime;

        // Which probes exist is configuration (DI), read once in an activity so replays see the same list.
        var probes = await context.CallActivityAsync<List<string>>(SelfTestActivities.ListProbes, context.InstanceId);
        var firstPass = await RunProbesAsync(context, probes);

        if (request.PauseSeconds > 0)
        {
            context.SetCustomStatus(new { stage = "paused", until = startedAt.AddSeconds(request.PauseSeconds) });
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(request.PauseSeconds), CancellationToken.None);
        }

        var secondPass = await RunProbesAsync(context, probes);
        return new SelfTestReport(
            startedAt,
            context.CurrentUtcDateTime,
            request.PauseSeconds,
            Healthy: firstPass.Concat(secondPass).All(p => p.Healthy),
            firstPass,
            secondPass);
    }

    // Probes are independent reads: run them side by side.
    private static async Task<IReadOnlyList<ProbeOutcome>> RunProbesAsync(TaskOrchestrationContext context, IReadOnlyList<string> probes)
    {
        var outcomes = await Task.WhenAll(probes.Select(name =>
            context.CallActivityAsync<ProbeOutcome>(SelfTestActivities.RunProbe, name)));
        return outcomes;
    }
}
