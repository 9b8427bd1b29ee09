using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;
using DtfxPurgeFilter = DurableTask.Core.PurgeInstanceFilter;

namespace Ndhm.LocalHost.Durable;

/// <summary>
/// The <see cref="DurableTaskClient"/> that <c>[DurableClient]</c> parameters receive in the local host: the SDK's
/// client API over DTFx's <see cref="TaskHubClient"/> on the same task hub as the worker. Waits poll
/// <c>GetOrchestrationStateAsync</c> (DTFx's own wait checks only every ~2 s).
/// </summary>
public sealed class LocalDurableTaskClient(LocalTaskHub hub) : DurableTaskClient(hub.Options.HubName)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private TaskHubClient Client => hub.Client;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        await hub.EnsureCreatedAsync().WaitAsync(cancellation);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value);
        var dedupe = options?.DedupeStatuses?
            .Select(s => (OrchestrationStatus)Enum.Parse<OrchestrationRuntimeStatus>(s, ignoreCase: true))
            .ToArray();
        var instance = options?.StartAt is { } startAt
            ? await Client.CreateScheduledOrchestrationInstanceAsync(
                orchestratorName.Name, string.Empty, instanceId, input, startAt.UtcDateTime)
            : await Client.CreateOrchestrationInstanceAsync(
                orchestratorName.Name, string.Empty, instanceId, input, tags, dedupe);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(
        string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        Client.RaiseEventAsync(Instance(instanceId), eventName, eventPayload!).WaitAsync(cancellation);

    public override Task TerminateInstanceAsync(
        string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Client.TerminateInstanceAsync(Instance(instanceId), SystemTextJsonDataConverter.Instance.Serialize(options?.Output) ?? string.Empty)
            .WaitAsync(cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Client.SuspendInstanceAsync(Instance(instanceId), reason).WaitAsync(cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Client.ResumeInstanceAsync(Instance(instanceId), reason).WaitAsync(cancellation);

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        await hub.EnsureCreatedAsync().WaitAsync(cancellation);
        var state = await Client.GetOrchestrationStateAsync(instanceId).WaitAsync(cancellation);
        return state is null ? null : ToMetadata(state, getInputsAndOutputs);
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Pageable.Create(async (string? continuation, int? pageSize, CancellationToken ct) =>
        {
            await hub.EnsureCreatedAsync().WaitAsync(ct);
            var condition = new OrchestrationInstanceStatusQueryCondition
            {
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime ?? default,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime ?? default,
                RuntimeStatus = filter?.Statuses?.Select(s => (OrchestrationStatus)s).ToList(),
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                FetchInput = filter?.FetchInputsAndOutputs ?? false,
            };
            var result = await hub.Service.GetOrchestrationStateAsync(
                condition, pageSize ?? filter?.PageSize ?? 100, continuation ?? filter?.ContinuationToken, ct);
            var items = result.OrchestrationState
                .Select(s => ToMetadata(s, filter?.FetchInputsAndOutputs ?? false))
                .ToList();
            return new Page<OrchestrationMetadata>(items, result.ContinuationToken);
        });

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is not null && metadata.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                return metadata;
            }

            await Task.Delay(PollInterval, cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is { IsCompleted: true })
            {
                return metadata;
            }

            await Task.Delay(PollInterval, cancellation);
        }
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(
        string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var result = await ((IOrchestrationServicePurgeClient)hub.Service).PurgeInstanceStateAsync(instanceId)
            .WaitAsync(cancellation);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(
        PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var dtfxFilter = new DtfxPurgeFilter(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue,
            filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => (OrchestrationStatus)s));
        var result = await ((IOrchestrationServicePurgeClient)hub.Service).PurgeInstanceStateAsync(dtfxFilter)
            .WaitAsync(cancellation);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    // The hub's storage clients belong to LocalTaskHub (a DI singleton), not to each client.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static OrchestrationInstance Instance(string instanceId) => new() { InstanceId = instanceId };

    private static OrchestrationMetadata ToMetadata(OrchestrationState state, bool withPayloads) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            RuntimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = withPayloads ? state.Input : null,
            SerializedOutput = withPayloads ? state.Output : null,
            SerializedCustomStatus = state.Status,
            FailureDetails = Failure(state),
            DataConverter = JsonDataConverter.Default,
        };

    private static TaskFailureDetails? Failure(OrchestrationState state) =>
        state.OrchestrationStatus != OrchestrationStatus.Failed ? null
        : state.FailureDetails is { } details ? Convert(details)
        : new TaskFailureDetails("OrchestrationFailed", state.Output ?? "The orchestration failed.", null, null, null);

    private static TaskFailureDetails Convert(FailureDetails details) =>
        new(details.ErrorType, details.ErrorMessage, details.StackTrace,
            details.InnerFailure is { } inner ? Convert(inner) : null, null);
}
