using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Durable;

/// <summary>
/// Runs the catalog's orchestrators and activities in a DTFx <see cref="TaskHubWorker"/> for the host's lifetime.
/// Each DTFx work item gets a new shim from <see cref="DurableTaskShimFactory"/>, the SDK's public bridge between
/// DTFx and <see cref="TaskOrchestrationContext"/>-based code.
/// </summary>
internal sealed class DurableWorkerService(
    LocalTaskHub hub,
    IReadOnlyList<FunctionDescriptor> functions,
    IServiceProvider services,
    ILoggerFactory loggerFactory,
    ILogger<DurableWorkerService> logger) : IHostedService
{
    private TaskHubWorker? worker;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await hub.EnsureCreatedAsync().WaitAsync(cancellationToken);
        var shims = new DurableTaskShimFactory(
            new DurableTaskWorkerOptions { DataConverter = JsonDataConverter.Default }, loggerFactory);
        var orchestrations = new NameOnlyObjectManager<TaskOrchestration>();
        var activities = new NameOnlyObjectManager<TaskActivity>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        foreach (var function in functions)
        {
            var name = new TaskName(function.Name);
            switch (function.Kind)
            {
                case TriggerKind.Orchestration:
                    var orchestrator = new FunctionOrchestrator(function, services);
                    orchestrations.Add(new DelegateCreator<TaskOrchestration>(function.Name,
                        () => shims.CreateOrchestration(name, orchestrator)));
                    break;
                case TriggerKind.Activity:
                    var activity = new FunctionActivity(function, scopes);
                    activities.Add(new DelegateCreator<TaskActivity>(function.Name,
                        () => shims.CreateActivity(name, activity)));
                    break;
            }
        }

        worker = new TaskHubWorker(hub.Service, orchestrations, activities, loggerFactory);
        await worker.StartAsync().WaitAsync(cancellationToken);
        logger.LogInformation(
            "Durable task hub {Hub} started as worker {WorkerId}: {Orchestrators} orchestrators, {Activities} activities",
            hub.Options.HubName, hub.Options.WorkerId,
            functions.Count(f => f.Kind == TriggerKind.Orchestration), functions.Count(f => f.Kind == TriggerKind.Activity));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (worker is null)
        {
            return;
        }

        // Graceful: in-flight work items finish and partition leases are released, so the next host takes over at
        // once. If the host's shutdown timeout runs out first, storage still holds every committed step.
        try
        {
            await worker.StopAsync(isForced: false).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Durable worker did not stop within the shutdown timeout; unfinished steps will be retried.");
        }
    }
}
