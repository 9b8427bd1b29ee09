using System.Text.Json;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Middleware;
using Google.Protobuf;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using P = Microsoft.DurableTask.Protobuf;

namespace Ndhm.GrpcHost.Durable;

/// <summary>
/// Runs the app's orchestrator and activity functions as the Durable extension does for an out-of-process worker:
/// a DTFx <see cref="TaskHubWorker"/> polls the task hub, and its dispatch middleware invokes the worker function
/// for each work item instead of running code in-process. Orchestrations: the history goes to the worker as a
/// base64 protobuf <c>OrchestratorRequest</c> (the orchestrationTrigger's input), the worker's return value is a
/// base64 <c>OrchestratorResponse</c> whose actions become the <see cref="OrchestratorExecutionResult"/>.
/// Activities: the scheduled input (JSON) is the activityTrigger's input, the return value the task's result.
/// </summary>
public sealed class DurableDispatcher(HarnessTaskHub hub, WorkerSession session, Invocations invocations, ILoggerFactory loggerFactory)
{
    private readonly Dictionary<string, LoadedFunction> orchestrators = ByDurableName(session, "orchestrationTrigger", "orchestration");
    private readonly Dictionary<string, LoadedFunction> activities = ByDurableName(session, "activityTrigger", "activity");
    private readonly ILogger logger = loggerFactory.CreateLogger<DurableDispatcher>();
    private TaskHubWorker? worker;

    public async Task StartAsync()
    {
        worker = new TaskHubWorker(hub.Service, new NoObjects<TaskOrchestration>(), new NoObjects<TaskActivity>(), loggerFactory);
        worker.AddOrchestrationDispatcherMiddleware(CallOrchestratorAsync);
        worker.AddActivityDispatcherMiddleware(CallActivityAsync);
        await worker.StartAsync();
        logger.LogInformation("Durable task hub {Hub}: {Orchestrators} orchestrator and {Activities} activity functions",
            hub.Settings.HubName, orchestrators.Count, activities.Count);
    }

    public async Task StopAsync()
    {
        if (worker is not null)
        {
            await worker.StopAsync(isForced: false);
        }
    }

    private async Task CallOrchestratorAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        var state = context.GetProperty<OrchestrationRuntimeState>();
        var instance = context.GetProperty<OrchestrationInstance>();
        if (!orchestrators.TryGetValue(state.Name, out var function))
        {
            context.SetProperty(OrchestratorExecutionResult.ForFailure($"No orchestrator function named '{state.Name}' is loaded.", details: null));
            return;
        }

        P.OrchestratorRequest request;
        try
        {
            request = OrchestrationProtocol.ToRequest(instance, state.PastEvents, state.NewEvents);
        }
        catch (NotSupportedException e)
        {
            context.SetProperty(OrchestratorExecutionResult.ForFailure(e.Message, e));
            return;
        }

        // Failures to reach the worker (stream gone, timeout) propagate: DTFx abandons the work item and retries it.
        var response = await invocations.InvokeDurableAsync(function, instance.InstanceId, Convert.ToBase64String(request.ToByteArray()), CancellationToken.None);
        if (response.Result.Status != StatusResult.Types.Status.Success)
        {
            context.SetProperty(OrchestratorExecutionResult.ForFailure(
                $"Function '{function.Name}' failed with an unhandled exception.", response.Result.Exception?.Message));
            return;
        }

        if (response.ReturnValue?.DataCase != TypedData.DataOneofCase.String || response.ReturnValue.String.Length == 0)
        {
            context.SetProperty(OrchestratorExecutionResult.ForFailure(
                $"Function '{function.Name}' returned no OrchestratorResponse (got {response.ReturnValue?.DataCase}).", details: null));
            return;
        }

        var answer = P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(response.ReturnValue.String));
        try
        {
            context.SetProperty(new OrchestratorExecutionResult
            {
                Actions = answer.Actions.Select(OrchestrationProtocol.ToCore).ToList(),
                CustomStatus = answer.CustomStatus,
            });
        }
        catch (NotSupportedException e)
        {
            context.SetProperty(OrchestratorExecutionResult.ForFailure(e.Message, e));
        }
    }

    private async Task CallActivityAsync(DispatchMiddlewareContext context, Func<Task> next)
    {
        var scheduled = context.GetProperty<TaskScheduledEvent>();
        var instance = context.GetProperty<OrchestrationInstance>();
        if (scheduled.Name is null || !activities.TryGetValue(scheduled.Name, out var function))
        {
            var missing = $"No activity function named '{scheduled.Name}' is loaded.";
            context.SetProperty(new ActivityExecutionResult
            {
                ResponseEvent = new TaskFailedEvent(-1, scheduled.EventId, missing, null,
                    new FailureDetails("ActivityFunctionNotFound", missing, null, null, isNonRetriable: true)),
            });
            return;
        }

        string? input;
        try
        {
            input = ActivityPayload.Input(scheduled.Input);
        }
        catch (NotSupportedException e)
        {
            context.SetProperty(new ActivityExecutionResult
            {
                ResponseEvent = new TaskFailedEvent(-1, scheduled.EventId, e.Message, null,
                    new FailureDetails(nameof(NotSupportedException), e.Message, null, null, isNonRetriable: true)),
            });
            return;
        }

        var response = await invocations.InvokeDurableAsync(function, instance.InstanceId, input, CancellationToken.None);
        HistoryEvent outcome;
        if (response.Result.Status == StatusResult.Types.Status.Success)
        {
            try
            {
                outcome = new TaskCompletedEvent(-1, scheduled.EventId, ActivityPayload.Output(response.ReturnValue));
            }
            catch (NotSupportedException e)
            {
                outcome = new TaskFailedEvent(-1, scheduled.EventId, e.Message, null,
                    new FailureDetails(nameof(NotSupportedException), e.Message, null, null, isNonRetriable: true));
            }
        }
        else
        {
            var exception = response.Result.Exception;
            outcome = new TaskFailedEvent(-1, scheduled.EventId, $"Function '{function.Name}' failed with an unhandled exception.", null,
                new FailureDetails(
                    string.IsNullOrEmpty(exception?.Type) ? "(unknown)" : exception.Type,
                    exception?.Message ?? "", exception?.StackTrace, null, isNonRetriable: false));
        }

        context.SetProperty(new ActivityExecutionResult { ResponseEvent = outcome });
    }

    // An orchestrator or activity is named by its function unless its trigger names it (Orchestration/Activity).
    private static Dictionary<string, LoadedFunction> ByDurableName(WorkerSession session, string triggerType, string nameProperty) =>
        session.Functions
            .Where(f => f.TriggerType.Equals(triggerType, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => f.Trigger[nameProperty]?.GetValue<string>() is { Length: > 0 } name ? name : f.Name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>An activity's input and result as the Durable extension passes them between the task hub and the worker.</summary>
public static class ActivityPayload
{
    /// <summary>
    /// The activity trigger's input. The .NET worker schedules activities through DTFx's orchestration context, which
    /// stores the input as a one-element JSON array; the extension unwraps it and binds the element's JSON.
    /// </summary>
    public static string? Input(string? scheduledInput)
    {
        if (string.IsNullOrEmpty(scheduledInput))
        {
            return null;
        }

        using var document = JsonDocument.Parse(scheduledInput);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            return scheduledInput;
        }

        return document.RootElement.GetArrayLength() == 1
            ? document.RootElement[0].GetRawText()
            : throw new NotSupportedException($"An activity input array must have one element; it has {document.RootElement.GetArrayLength()}.");
    }

    /// <summary>
    /// The task's result: the JSON of the worker's return value. A string return value is serialised as a JSON
    /// string; JSON is kept as sent.
    /// </summary>
    public static string? Output(TypedData? value) => value?.DataCase switch
    {
        null or TypedData.DataOneofCase.None => null,
        TypedData.DataOneofCase.String => JsonSerializer.Serialize(value.String),
        TypedData.DataOneofCase.Json => value.Json,
        TypedData.DataOneofCase.Int => JsonSerializer.Serialize(value.Int),
        TypedData.DataOneofCase.Double => JsonSerializer.Serialize(value.Double),
        _ => throw new NotSupportedException($"An activity return value of type {value.DataCase} is not supported by the harness's Durable host."),
    };
}

/// <summary>
/// No in-process orchestrations or activities: the dispatch middleware answers every work item (DTFx looks an object
/// up only when no middleware has set a result).
/// </summary>
internal sealed class NoObjects<T> : INameVersionObjectManager<T>
{
    public void Add(ObjectCreator<T> creator) => throw new NotSupportedException("The harness runs no code in-process.");

    public T? GetObject(string name, string? version) => default;
}
