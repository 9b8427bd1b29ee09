using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Google.Protobuf.WellKnownTypes;
using P = Microsoft.DurableTask.Protobuf;

namespace Ndhm.GrpcHost.Durable;

/// <summary>
/// The host side of the out-of-process orchestration protocol (the Durable extension's "middleware passthrough"):
/// a DTFx work item's history becomes a protobuf <c>OrchestratorRequest</c> the worker replays, and the actions of
/// the worker's <c>OrchestratorResponse</c> become the DTFx actions the dispatcher commits. Written for this harness
/// from the public orchestrator_service.proto; history or actions it does not know (entities, rewind, history
/// state) fail with <see cref="NotSupportedException"/> naming the type, never silently.
/// </summary>
public static class OrchestrationProtocol
{
    public static P.OrchestratorRequest ToRequest(OrchestrationInstance instance, IEnumerable<HistoryEvent> pastEvents, IEnumerable<HistoryEvent> newEvents)
    {
        var request = new P.OrchestratorRequest { InstanceId = instance.InstanceId, ExecutionId = instance.ExecutionId };
        request.PastEvents.AddRange(pastEvents.Select(ToProto));
        request.NewEvents.AddRange(newEvents.Select(ToProto));
        return request;
    }

    public static P.HistoryEvent ToProto(HistoryEvent e)
    {
        var proto = new P.HistoryEvent { EventId = e.EventId, Timestamp = ToTimestamp(e.Timestamp) };
        switch (e)
        {
            case ExecutionStartedEvent started:
                proto.ExecutionStarted = new P.ExecutionStartedEvent
                {
                    Name = started.Name,
                    Version = started.Version,
                    Input = started.Input,
                    OrchestrationInstance = ToProto(started.OrchestrationInstance),
                    ScheduledStartTimestamp = started.ScheduledStartTime is { } at ? ToTimestamp(at) : null,
                    ParentInstance = started.ParentInstance is { } parent
                        ? new P.ParentInstanceInfo
                        {
                            TaskScheduledId = parent.TaskScheduleId,
                            Name = parent.Name,
                            Version = parent.Version,
                            OrchestrationInstance = ToProto(parent.OrchestrationInstance),
                        }
                        : null,
                    ParentTraceContext = started.ParentTraceContext is { TraceParent: { Length: > 0 } traceParent } trace
                        ? new P.TraceContext { TraceParent = traceParent, TraceState = trace.TraceState }
                        : null,
                };
                AddTags(proto.ExecutionStarted.Tags, started.Tags);
                break;
            // Before ExecutionCompletedEvent: DTFx derives ContinueAsNewEvent from it.
            case ContinueAsNewEvent continued:
                proto.ContinueAsNew = new P.ContinueAsNewEvent { Input = continued.Result };
                break;
            case ExecutionCompletedEvent completed:
                proto.ExecutionCompleted = new P.ExecutionCompletedEvent
                {
                    OrchestrationStatus = (P.OrchestrationStatus)completed.OrchestrationStatus,
                    Result = completed.Result,
                    FailureDetails = ToProto(completed.FailureDetails),
                };
                break;
            case ExecutionTerminatedEvent terminated:
                proto.ExecutionTerminated = new P.ExecutionTerminatedEvent { Input = terminated.Input };
                break;
            case ExecutionSuspendedEvent suspended:
                proto.ExecutionSuspended = new P.ExecutionSuspendedEvent { Input = suspended.Reason };
                break;
            case ExecutionResumedEvent resumed:
                proto.ExecutionResumed = new P.ExecutionResumedEvent { Input = resumed.Reason };
                break;
            case TaskScheduledEvent scheduled:
                proto.TaskScheduled = new P.TaskScheduledEvent { Name = scheduled.Name, Version = scheduled.Version, Input = scheduled.Input };
                AddTags(proto.TaskScheduled.Tags, scheduled.Tags);
                break;
            case TaskCompletedEvent taskCompleted:
                proto.TaskCompleted = new P.TaskCompletedEvent { TaskScheduledId = taskCompleted.TaskScheduledId, Result = taskCompleted.Result };
                break;
            case TaskFailedEvent taskFailed:
                proto.TaskFailed = new P.TaskFailedEvent
                {
                    TaskScheduledId = taskFailed.TaskScheduledId,
                    FailureDetails = ToProto(taskFailed.FailureDetails) ?? Failure(taskFailed.Reason, taskFailed.Details),
                };
                break;
            case SubOrchestrationInstanceCreatedEvent subCreated:
                proto.SubOrchestrationInstanceCreated = new P.SubOrchestrationInstanceCreatedEvent
                {
                    InstanceId = subCreated.InstanceId,
                    Name = subCreated.Name,
                    Version = subCreated.Version,
                    Input = subCreated.Input,
                };
                break;
            case SubOrchestrationInstanceCompletedEvent subCompleted:
                proto.SubOrchestrationInstanceCompleted = new P.SubOrchestrationInstanceCompletedEvent
                {
                    TaskScheduledId = subCompleted.TaskScheduledId,
                    Result = subCompleted.Result,
                };
                break;
            case SubOrchestrationInstanceFailedEvent subFailed:
                proto.SubOrchestrationInstanceFailed = new P.SubOrchestrationInstanceFailedEvent
                {
                    TaskScheduledId = subFailed.TaskScheduledId,
                    FailureDetails = ToProto(subFailed.FailureDetails) ?? Failure(subFailed.Reason, subFailed.Details),
                };
                break;
            case TimerCreatedEvent timerCreated:
                proto.TimerCreated = new P.TimerCreatedEvent { FireAt = ToTimestamp(timerCreated.FireAt) };
                break;
            case TimerFiredEvent timerFired:
                proto.TimerFired = new P.TimerFiredEvent { FireAt = ToTimestamp(timerFired.FireAt), TimerId = timerFired.TimerId };
                break;
            case OrchestratorStartedEvent:
                proto.OrchestratorStarted = new P.OrchestratorStartedEvent();
                break;
            case OrchestratorCompletedEvent:
                proto.OrchestratorCompleted = new P.OrchestratorCompletedEvent();
                break;
            case EventSentEvent sent:
                proto.EventSent = new P.EventSentEvent { InstanceId = sent.InstanceId, Name = sent.Name, Input = sent.Input };
                break;
            case EventRaisedEvent raised:
                proto.EventRaised = new P.EventRaisedEvent { Name = raised.Name, Input = raised.Input };
                break;
            case GenericEvent generic:
                proto.GenericEvent = new P.GenericEvent { Data = generic.Data };
                break;
            default:
                throw new NotSupportedException($"History event {e.EventType} ({e.GetType().Name}) is not supported by the harness's Durable host.");
        }

        return proto;
    }

    public static OrchestratorAction ToCore(P.OrchestratorAction action)
    {
        switch (action.OrchestratorActionTypeCase)
        {
            case P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask:
                var task = action.ScheduleTask;
                return new ScheduleTaskOrchestratorAction
                {
                    Id = action.Id,
                    Name = task.Name,
                    Version = task.Version,
                    Input = task.Input,
                    Tags = task.Tags.Count > 0 ? new Dictionary<string, string>(task.Tags) : null,
                };
            case P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateSubOrchestration:
                var sub = action.CreateSubOrchestration;
                return new CreateSubOrchestrationAction
                {
                    Id = action.Id,
                    InstanceId = sub.InstanceId,
                    Name = sub.Name,
                    Version = sub.Version,
                    Input = sub.Input,
                    Tags = sub.Tags.Count > 0 ? new Dictionary<string, string>(sub.Tags) : null,
                };
            case P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer:
                return new CreateTimerOrchestratorAction { Id = action.Id, FireAt = action.CreateTimer.FireAt.ToDateTime() };
            case P.OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent:
                var send = action.SendEvent;
                return new SendEventOrchestratorAction
                {
                    Id = action.Id,
                    Instance = new OrchestrationInstance { InstanceId = send.Instance.InstanceId, ExecutionId = send.Instance.ExecutionId },
                    EventName = send.Name,
                    EventData = send.Data,
                };
            case P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration:
                var complete = action.CompleteOrchestration;
                var core = new OrchestrationCompleteOrchestratorAction
                {
                    Id = action.Id,
                    OrchestrationStatus = (OrchestrationStatus)complete.OrchestrationStatus,
                    Result = complete.Result,
                    Details = complete.Details,
                    NewVersion = complete.NewVersion,
                    FailureDetails = ToCore(complete.FailureDetails),
                };
                foreach (var carried in complete.CarryoverEvents)
                {
                    core.CarryoverEvents.Add(ToCoreCarryover(carried));
                }

                foreach (var (key, value) in complete.Tags)
                {
                    core.Tags[key] = value;
                }

                return core;
            default:
                throw new NotSupportedException($"Orchestrator action {action.OrchestratorActionTypeCase} is not supported by the harness's Durable host.");
        }
    }

    /// <summary>
    /// Events carried over a continue-as-new: external events that arrived before the orchestration consumed them.
    /// </summary>
    private static HistoryEvent ToCoreCarryover(P.HistoryEvent e) => e.EventTypeCase switch
    {
        P.HistoryEvent.EventTypeOneofCase.EventRaised => new EventRaisedEvent(-1, e.EventRaised.Input) { Name = e.EventRaised.Name },
        _ => throw new NotSupportedException($"Carried-over event {e.EventTypeCase} is not supported by the harness's Durable host."),
    };

    public static FailureDetails? ToCore(P.TaskFailureDetails? failure) =>
        failure is null
            ? null
            : new FailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, ToCore(failure.InnerFailure), failure.IsNonRetriable);

    public static P.TaskFailureDetails? ToProto(FailureDetails? failure) =>
        failure is null
            ? null
            : new P.TaskFailureDetails
            {
                ErrorType = failure.ErrorType ?? "",
                ErrorMessage = failure.ErrorMessage ?? "",
                StackTrace = failure.StackTrace,
                InnerFailure = ToProto(failure.InnerFailure),
                IsNonRetriable = failure.IsNonRetriable,
            };

    public static P.OrchestrationInstance? ToProto(OrchestrationInstance? instance) =>
        instance is null ? null : new P.OrchestrationInstance { InstanceId = instance.InstanceId ?? "", ExecutionId = instance.ExecutionId };

    /// <summary>DTFx keeps UTC times in <see cref="DateTime"/>s whose kind storage may not have preserved.</summary>
    public static Timestamp ToTimestamp(DateTime time) => Timestamp.FromDateTime(time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    });

    private static P.TaskFailureDetails Failure(string? reason, string? details) =>
        new() { ErrorType = "(unknown)", ErrorMessage = reason ?? "", StackTrace = details };

    private static void AddTags(Google.Protobuf.Collections.MapField<string, string> target, IDictionary<string, string>? tags)
    {
        if (tags is not null)
        {
            foreach (var (key, value) in tags)
            {
                target[key] = value;
            }
        }
    }
}
