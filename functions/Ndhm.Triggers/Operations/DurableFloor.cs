using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Ndhm.Triggers.Operations;

/// <summary>
/// The least a Durable workflow costs on this host: one orchestration that calls one activity and returns its answer.
/// Benchmarks measure a flow built on orchestrations against it (issue #13: a data transfer's p50 against this floor);
/// it reads and writes nothing but the durable store, so its time is the backend's own (queues, history, polling).
/// </summary>
public static class DurableFloor
{
    public const string Name = nameof(DurableFloor);
    public const string Activity = "DurableFloorEcho";

    [Function(Name)]
    public static Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        context.CallActivityAsync<string>(Activity, context.GetInput<string>() ?? "");

    /// <summary>The one activity: gives its input back, so the output shows it ran.</summary>
    [Function(Activity)]
    public static string Echo([ActivityTrigger] string token) => token;
}
