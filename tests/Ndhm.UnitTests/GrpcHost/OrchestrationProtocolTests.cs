using DurableTask.Core;
using DurableTask.Core.Command;
using DurableTask.Core.History;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Ndhm.GrpcHost.Durable;
using P = Microsoft.DurableTask.Protobuf;

namespace Ndhm.UnitTests.GrpcHost;

/// <summary>
/// The harness's Durable host conversions: DTFx history to the OrchestratorRequest the worker replays, the worker's
/// OrchestratorResponse actions to DTFx actions, and activity payloads. What the harness does not support fails
/// with NotSupportedException naming it.
/// </summary>
public sealed class OrchestrationProtocolTests
{
    private static readonly DateTime At = new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);
    private static readonly OrchestrationInstance Instance = new() { InstanceId = "inst-1", ExecutionId = "exec-1" };

    [Fact]
    public void Given_a_history_When_converted_to_a_request_Then_past_and_new_events_keep_their_ids_times_and_payloads()
    {
        var started = new ExecutionStartedEvent(-1, "\"token\"")
        {
            Name = "DurableFloor",
            Version = "",
            OrchestrationInstance = Instance,
            Tags = new Dictionary<string, string> { ["team"] = "ops" },
            Timestamp = At,
        };
        HistoryEvent[] past =
        [
            new OrchestratorStartedEvent(-1) { Timestamp = At },
            started,
            new TaskScheduledEvent(0, "DurableFloorEcho", null, "[\"token\"]") { Timestamp = At },
            new OrchestratorCompletedEvent(-1) { Timestamp = At },
        ];
        HistoryEvent[] fresh = [new TaskCompletedEvent(-1, 0, "\"token\"") { Timestamp = At.AddSeconds(1) }];

        var request = OrchestrationProtocol.ToRequest(Instance, past, fresh);

        Assert.Equal("inst-1", request.InstanceId);
        Assert.Equal("exec-1", request.ExecutionId);
        Assert.Equal(
            [P.HistoryEvent.EventTypeOneofCase.OrchestratorStarted, P.HistoryEvent.EventTypeOneofCase.ExecutionStarted,
             P.HistoryEvent.EventTypeOneofCase.TaskScheduled, P.HistoryEvent.EventTypeOneofCase.OrchestratorCompleted],
            request.PastEvents.Select(e => e.EventTypeCase));
        var execution = request.PastEvents[1].ExecutionStarted;
        Assert.Equal("DurableFloor", execution.Name);
        Assert.Equal("\"token\"", execution.Input);
        Assert.Equal("inst-1", execution.OrchestrationInstance.InstanceId);
        Assert.Equal("exec-1", execution.OrchestrationInstance.ExecutionId);
        Assert.Equal("ops", execution.Tags["team"]);
        Assert.Equal(0, request.PastEvents[2].EventId);
        Assert.Equal("DurableFloorEcho", request.PastEvents[2].TaskScheduled.Name);
        var completed = Assert.Single(request.NewEvents);
        Assert.Equal(0, completed.TaskCompleted.TaskScheduledId);
        Assert.Equal("\"token\"", completed.TaskCompleted.Result);
        Assert.Equal(Timestamp.FromDateTime(At.AddSeconds(1)), completed.Timestamp);
    }

    [Fact]
    public void Given_timer_event_and_failure_events_When_converted_Then_their_fields_reach_the_worker()
    {
        var fireAt = At.AddMinutes(5);
        HistoryEvent[] events =
        [
            new TimerCreatedEvent(1, fireAt) { Timestamp = At },
            new TimerFiredEvent(-1, fireAt) { TimerId = 1, Timestamp = fireAt },
            new EventRaisedEvent(-1, "{\"ok\":true}") { Name = "HipDone", Timestamp = At },
            new EventSentEvent(2) { InstanceId = "other", Name = "Ping", Input = "1", Timestamp = At },
            new TaskFailedEvent(-1, 3, "reason", "details", new FailureDetails("System.InvalidOperationException", "boom", "stack", null, false)) { Timestamp = At },
            new TaskFailedEvent(-1, 4, "only a reason", "details") { Timestamp = At },
            new ExecutionSuspendedEvent(-1, "why") { Timestamp = At },
            new ExecutionResumedEvent(-1, "because") { Timestamp = At },
            new ExecutionTerminatedEvent(-1, "\"stop\"") { Timestamp = At },
        ];

        var request = OrchestrationProtocol.ToRequest(Instance, [], events);

        var e = request.NewEvents;
        Assert.Equal(Timestamp.FromDateTime(fireAt), e[0].TimerCreated.FireAt);
        Assert.Equal(1, e[1].TimerFired.TimerId);
        Assert.Equal(Timestamp.FromDateTime(fireAt), e[1].TimerFired.FireAt);
        Assert.Equal(("HipDone", "{\"ok\":true}"), (e[2].EventRaised.Name, e[2].EventRaised.Input));
        Assert.Equal(("other", "Ping", "1"), (e[3].EventSent.InstanceId, e[3].EventSent.Name, e[3].EventSent.Input));
        Assert.Equal(("System.InvalidOperationException", "boom", "stack"),
            (e[4].TaskFailed.FailureDetails.ErrorType, e[4].TaskFailed.FailureDetails.ErrorMessage, e[4].TaskFailed.FailureDetails.StackTrace));
        Assert.Equal((4, "only a reason"), (e[5].TaskFailed.TaskScheduledId, e[5].TaskFailed.FailureDetails.ErrorMessage));
        Assert.Equal("why", e[6].ExecutionSuspended.Input);
        Assert.Equal("because", e[7].ExecutionResumed.Input);
        Assert.Equal("\"stop\"", e[8].ExecutionTerminated.Input);
    }

    [Fact]
    public void Given_a_time_storage_read_back_without_a_kind_When_converted_Then_it_is_taken_as_UTC()
    {
        var unspecified = DateTime.SpecifyKind(At, DateTimeKind.Unspecified);

        var timestamp = OrchestrationProtocol.ToTimestamp(unspecified);

        Assert.Equal(Timestamp.FromDateTime(At), timestamp);
    }

    [Fact]
    public void Given_a_continue_as_new_When_converted_Then_it_is_not_mistaken_for_a_completion()
    {
        var proto = OrchestrationProtocol.ToProto(new ContinueAsNewEvent(-1, "\"next\"") { Timestamp = At });

        Assert.Equal(P.HistoryEvent.EventTypeOneofCase.ContinueAsNew, proto.EventTypeCase);
        Assert.Equal("\"next\"", proto.ContinueAsNew.Input);
    }

    [Fact]
    public void Given_a_history_state_event_When_converted_Then_it_fails_naming_the_event()
    {
        var state = new HistoryStateEvent(-1, new OrchestrationState()) { Timestamp = At };

        var error = Assert.Throws<NotSupportedException>(() => OrchestrationProtocol.ToRequest(Instance, [state], []));

        Assert.Contains("HistoryState", error.Message);
    }

    [Fact]
    public void Given_worker_actions_When_converted_Then_each_becomes_the_matching_DTFx_action()
    {
        var fireAt = At.AddSeconds(30);
        var complete = new P.CompleteOrchestrationAction
        {
            OrchestrationStatus = P.OrchestrationStatus.Completed,
            Result = "\"done\"",
            CarryoverEvents = { new P.HistoryEvent { EventId = -1, EventRaised = new P.EventRaisedEvent { Name = "Late", Input = "2" } } },
        };
        P.OrchestratorAction[] actions =
        [
            new() { Id = 0, ScheduleTask = new P.ScheduleTaskAction { Name = "Echo", Input = "\"x\"", Tags = { ["k"] = "v" } } },
            new() { Id = 1, CreateTimer = new P.CreateTimerAction { FireAt = Timestamp.FromDateTime(fireAt) } },
            new() { Id = 2, CreateSubOrchestration = new P.CreateSubOrchestrationAction { InstanceId = "child", Name = "Child", Input = "3" } },
            new() { Id = 3, SendEvent = new P.SendEventAction { Instance = new P.OrchestrationInstance { InstanceId = "other" }, Name = "Ping", Data = "4" } },
            new() { Id = 4, CompleteOrchestration = complete },
        ];

        var core = actions.Select(OrchestrationProtocol.ToCore).ToList();

        var task = Assert.IsType<ScheduleTaskOrchestratorAction>(core[0]);
        Assert.Equal((0, "Echo", "\"x\"", "v"), (task.Id, task.Name, task.Input, task.Tags!["k"]));
        var timer = Assert.IsType<CreateTimerOrchestratorAction>(core[1]);
        Assert.Equal((1, fireAt), (timer.Id, timer.FireAt));
        var sub = Assert.IsType<CreateSubOrchestrationAction>(core[2]);
        Assert.Equal(("child", "Child", "3"), (sub.InstanceId, sub.Name, sub.Input));
        var send = Assert.IsType<SendEventOrchestratorAction>(core[3]);
        Assert.Equal(("other", "Ping", "4"), (send.Instance!.InstanceId, send.EventName, send.EventData));
        var done = Assert.IsType<OrchestrationCompleteOrchestratorAction>(core[4]);
        Assert.Equal((OrchestrationStatus.Completed, "\"done\""), (done.OrchestrationStatus, done.Result));
        var carried = Assert.IsType<EventRaisedEvent>(Assert.Single(done.CarryoverEvents));
        Assert.Equal(("Late", "2"), (carried.Name, carried.Input));
    }

    [Fact]
    public void Given_a_failed_completion_When_converted_Then_the_failure_details_are_kept()
    {
        var action = new P.OrchestratorAction
        {
            Id = 7,
            CompleteOrchestration = new P.CompleteOrchestrationAction
            {
                OrchestrationStatus = P.OrchestrationStatus.Failed,
                FailureDetails = new P.TaskFailureDetails
                {
                    ErrorType = "System.TimeoutException",
                    ErrorMessage = "too slow",
                    InnerFailure = new P.TaskFailureDetails { ErrorType = "Inner", ErrorMessage = "cause" },
                },
            },
        };

        var done = Assert.IsType<OrchestrationCompleteOrchestratorAction>(OrchestrationProtocol.ToCore(action));

        Assert.Equal(OrchestrationStatus.Failed, done.OrchestrationStatus);
        Assert.Equal(("System.TimeoutException", "too slow"), (done.FailureDetails!.ErrorType, done.FailureDetails.ErrorMessage));
        Assert.Equal("cause", done.FailureDetails.InnerFailure!.ErrorMessage);
    }

    [Fact]
    public void Given_an_entity_message_action_When_converted_Then_it_fails_naming_the_action()
    {
        var action = new P.OrchestratorAction
        {
            Id = 1,
            SendEntityMessage = new P.SendEntityMessageAction { EntityOperationSignaled = new P.EntityOperationSignaledEvent { Operation = "add" } },
        };

        var error = Assert.Throws<NotSupportedException>(() => OrchestrationProtocol.ToCore(action));

        Assert.Contains("SendEntityMessage", error.Message);
    }

    [Theory]
    [InlineData("[\"token\"]", "\"token\"")]
    [InlineData("[{\"a\":1}]", "{\"a\":1}")]
    [InlineData("\"plain\"", "\"plain\"")]
    [InlineData(null, null)]
    public void Given_a_scheduled_activity_input_When_bound_Then_the_one_element_array_is_unwrapped(string? scheduled, string? bound)
    {
        Assert.Equal(bound, ActivityPayload.Input(scheduled));
    }

    [Fact]
    public void Given_an_activity_input_array_of_two_When_bound_Then_it_fails()
    {
        Assert.Throws<NotSupportedException>(() => ActivityPayload.Input("[1,2]"));
    }

    [Fact]
    public void Given_activity_return_values_When_stored_Then_strings_are_JSON_encoded_and_JSON_is_kept()
    {
        Assert.Equal("\"token\"", ActivityPayload.Output(new TypedData { String = "token" }));
        Assert.Equal("{\"a\":1}", ActivityPayload.Output(new TypedData { Json = "{\"a\":1}" }));
        Assert.Equal("42", ActivityPayload.Output(new TypedData { Int = 42 }));
        Assert.Null(ActivityPayload.Output(new TypedData()));
        Assert.Null(ActivityPayload.Output(null));
        Assert.Throws<NotSupportedException>(() => ActivityPayload.Output(new TypedData { Bytes = Google.Protobuf.ByteString.CopyFromUtf8("x") }));
    }

    [Fact]
    public void Given_no_reuse_policy_When_starting_Then_a_running_pending_or_suspended_instance_blocks_a_new_start()
    {
        Assert.Equal([OrchestrationStatus.Running, OrchestrationStatus.Pending, OrchestrationStatus.Suspended], TaskHubSidecar.DedupeStatuses(null));
    }

    [Fact]
    public void Given_a_reuse_policy_When_starting_Then_only_statuses_it_does_not_replace_block()
    {
        var policy = new P.OrchestrationIdReusePolicy { ReplaceableStatus = { P.OrchestrationStatus.Completed, P.OrchestrationStatus.Failed } };

        var blocking = TaskHubSidecar.DedupeStatuses(policy);

        Assert.DoesNotContain(OrchestrationStatus.Completed, blocking);
        Assert.DoesNotContain(OrchestrationStatus.Failed, blocking);
        Assert.Contains(OrchestrationStatus.Running, blocking);
    }
}
