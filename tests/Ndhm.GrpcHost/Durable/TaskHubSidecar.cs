using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using DurableTask.Core.History;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using P = Microsoft.DurableTask.Protobuf;

namespace Ndhm.GrpcHost.Durable;

/// <summary>
/// The host's gRPC endpoint for the worker's <c>DurableTaskClient</c> (<c>[DurableClient]</c>): the client half of
/// <c>TaskHubSidecarService</c>, served over the harness's task hub as the Durable extension's local gRPC listener
/// does. Work-item streaming (<c>GetWorkItems</c>) is not served: in Functions the host pushes work as invocations.
/// Entities, rewind, restart and history streaming answer Unimplemented (the base class).
/// </summary>
public sealed class TaskHubSidecar(HarnessTaskHub hub) : P.TaskHubSidecarService.TaskHubSidecarServiceBase
{
    private static readonly TimeSpan WaitPollInterval = TimeSpan.FromMilliseconds(200);

    private AzureStorageOrchestrationService Service => hub.Service;

    public override Task<Empty> Hello(Empty request, ServerCallContext context) => Task.FromResult(new Empty());

    public override async Task<P.CreateInstanceResponse> StartInstance(P.CreateInstanceRequest request, ServerCallContext context)
    {
        var instance = new OrchestrationInstance
        {
            InstanceId = string.IsNullOrEmpty(request.InstanceId) ? Guid.NewGuid().ToString("N") : request.InstanceId,
            ExecutionId = string.IsNullOrEmpty(request.ExecutionId) ? Guid.NewGuid().ToString("N") : request.ExecutionId,
        };
        var started = new ExecutionStartedEvent(-1, request.Input)
        {
            Name = request.Name,
            Version = request.Version ?? "",
            OrchestrationInstance = instance,
            ScheduledStartTime = request.ScheduledStartTimestamp?.ToDateTime(),
            Tags = request.Tags.Count > 0 ? new Dictionary<string, string>(request.Tags) : null,
        };
        try
        {
            await Service.CreateTaskOrchestrationAsync(new TaskMessage { Event = started, OrchestrationInstance = instance }, DedupeStatuses(request.OrchestrationIdReusePolicy));
        }
        catch (OrchestrationAlreadyExistsException e)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, e.Message));
        }

        return new P.CreateInstanceResponse { InstanceId = instance.InstanceId };
    }

    public override async Task<P.GetInstanceResponse> GetInstance(P.GetInstanceRequest request, ServerCallContext context) =>
        ToResponse(await StateAsync(request.InstanceId), request.GetInputsAndOutputs);

    public override async Task<P.GetInstanceResponse> WaitForInstanceStart(P.GetInstanceRequest request, ServerCallContext context) =>
        ToResponse(await WaitAsync(request.InstanceId, s => s.OrchestrationStatus != OrchestrationStatus.Pending, context.CancellationToken), request.GetInputsAndOutputs);

    public override async Task<P.GetInstanceResponse> WaitForInstanceCompletion(P.GetInstanceRequest request, ServerCallContext context) =>
        ToResponse(await WaitAsync(request.InstanceId, s => s.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed
            or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled, context.CancellationToken), request.GetInputsAndOutputs);

    public override async Task<P.RaiseEventResponse> RaiseEvent(P.RaiseEventRequest request, ServerCallContext context)
    {
        await SendAsync(request.InstanceId, new EventRaisedEvent(-1, request.Input) { Name = request.Name });
        return new P.RaiseEventResponse();
    }

    public override async Task<P.TerminateResponse> TerminateInstance(P.TerminateRequest request, ServerCallContext context)
    {
        await EnsureExistsAsync(request.InstanceId);
        await Service.ForceTerminateTaskOrchestrationAsync(request.InstanceId, request.Output);
        return new P.TerminateResponse();
    }

    public override async Task<P.SuspendResponse> SuspendInstance(P.SuspendRequest request, ServerCallContext context)
    {
        await SendAsync(request.InstanceId, new ExecutionSuspendedEvent(-1, request.Reason));
        return new P.SuspendResponse();
    }

    public override async Task<P.ResumeResponse> ResumeInstance(P.ResumeRequest request, ServerCallContext context)
    {
        await SendAsync(request.InstanceId, new ExecutionResumedEvent(-1, request.Reason));
        return new P.ResumeResponse();
    }

    public override async Task<P.QueryInstancesResponse> QueryInstances(P.QueryInstancesRequest request, ServerCallContext context)
    {
        var query = request.Query;
        var condition = new OrchestrationInstanceStatusQueryCondition
        {
            RuntimeStatus = query.RuntimeStatus.Select(s => (OrchestrationStatus)s).ToList(),
            CreatedTimeFrom = query.CreatedTimeFrom?.ToDateTime() ?? default,
            CreatedTimeTo = query.CreatedTimeTo?.ToDateTime() ?? default,
            TaskHubNames = query.TaskHubNames.Where(n => n is not null).ToList(),
            InstanceIdPrefix = query.InstanceIdPrefix,
            FetchInput = query.FetchInputsAndOutputs,
            FetchOutput = query.FetchInputsAndOutputs,
        };
        var page = await Service.GetOrchestrationStateAsync(condition, query.MaxInstanceCount > 0 ? query.MaxInstanceCount : 100,
            query.ContinuationToken, context.CancellationToken);
        var response = new P.QueryInstancesResponse { ContinuationToken = page.ContinuationToken };
        response.OrchestrationState.AddRange(page.OrchestrationState.Select(s => ToProto(s, query.FetchInputsAndOutputs)));
        return response;
    }

    public override async Task<P.PurgeInstancesResponse> PurgeInstances(P.PurgeInstancesRequest request, ServerCallContext context)
    {
        var result = request.RequestCase switch
        {
            P.PurgeInstancesRequest.RequestOneofCase.InstanceId => await Service.PurgeInstanceHistoryAsync(request.InstanceId),
            P.PurgeInstancesRequest.RequestOneofCase.PurgeInstanceFilter => await Service.PurgeInstanceHistoryAsync(
                request.PurgeInstanceFilter.CreatedTimeFrom?.ToDateTime() ?? DateTime.MinValue,
                request.PurgeInstanceFilter.CreatedTimeTo?.ToDateTime(),
                request.PurgeInstanceFilter.RuntimeStatus.Select(s => (OrchestrationStatus)s).ToList()),
            _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"Purge by {request.RequestCase} is not served by the harness.")),
        };
        return new P.PurgeInstancesResponse { DeletedInstanceCount = result.InstancesDeleted, IsComplete = true };
    }

    /// <summary>
    /// The statuses in which an existing instance with the same id blocks a new start: those the reuse policy does not
    /// declare replaceable; without a policy, a running, pending or suspended instance (the Durable extension's default).
    /// </summary>
    public static OrchestrationStatus[] DedupeStatuses(P.OrchestrationIdReusePolicy? policy)
    {
        if (policy is null)
        {
            return [OrchestrationStatus.Running, OrchestrationStatus.Pending, OrchestrationStatus.Suspended];
        }

        var replaceable = policy.ReplaceableStatus.Select(s => (OrchestrationStatus)s).ToHashSet();
        return System.Enum.GetValues<OrchestrationStatus>().Where(s => !replaceable.Contains(s)).ToArray();
    }

    public static P.OrchestrationState ToProto(OrchestrationState state, bool withInputsAndOutputs)
    {
        var proto = new P.OrchestrationState
        {
            InstanceId = state.OrchestrationInstance.InstanceId,
            ExecutionId = state.OrchestrationInstance.ExecutionId,
            Name = state.Name ?? "",
            Version = state.Version,
            OrchestrationStatus = (P.OrchestrationStatus)state.OrchestrationStatus,
            CreatedTimestamp = OrchestrationProtocol.ToTimestamp(state.CreatedTime),
            LastUpdatedTimestamp = OrchestrationProtocol.ToTimestamp(state.LastUpdatedTime),
            CustomStatus = state.Status,
            FailureDetails = OrchestrationProtocol.ToProto(state.FailureDetails),
            ParentInstanceId = state.ParentInstance?.OrchestrationInstance?.InstanceId,
        };
        if (state.ScheduledStartTime is { } scheduled)
        {
            proto.ScheduledStartTimestamp = OrchestrationProtocol.ToTimestamp(scheduled);
        }

        if (state.CompletedTime > DateTime.MinValue && state.CompletedTime < DateTime.MaxValue.AddDays(-1))
        {
            proto.CompletedTimestamp = OrchestrationProtocol.ToTimestamp(state.CompletedTime);
        }

        if (withInputsAndOutputs)
        {
            proto.Input = state.Input;
            proto.Output = state.Output;
        }

        if (state.Tags is not null)
        {
            foreach (var (key, value) in state.Tags)
            {
                proto.Tags[key] = value;
            }
        }

        return proto;
    }

    private static P.GetInstanceResponse ToResponse(OrchestrationState? state, bool withInputsAndOutputs) =>
        state is null ? new P.GetInstanceResponse { Exists = false } : new P.GetInstanceResponse { Exists = true, OrchestrationState = ToProto(state, withInputsAndOutputs) };

    private async Task<OrchestrationState?> StateAsync(string instanceId) =>
        (await Service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).FirstOrDefault();

    private async Task<OrchestrationState?> WaitAsync(string instanceId, Func<OrchestrationState, bool> reached, CancellationToken ct)
    {
        while (true)
        {
            var state = await StateAsync(instanceId);
            if (state is not null && reached(state))
            {
                return state;
            }

            await Task.Delay(WaitPollInterval, ct);
        }
    }

    private async Task EnsureExistsAsync(string instanceId)
    {
        if (await StateAsync(instanceId) is null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"No instance with ID '{instanceId}' was found."));
        }
    }

    private async Task SendAsync(string instanceId, HistoryEvent e)
    {
        await EnsureExistsAsync(instanceId);
        await Service.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = e });
    }
}
