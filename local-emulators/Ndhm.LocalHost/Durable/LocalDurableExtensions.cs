using Microsoft.DurableTask.Client;
using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Durable;

public static class LocalDurableExtensions
{
    public const string HubNameSetting = "AzureFunctionsJobHost__extensions__durableTask__hubName";

    /// <summary>
    /// Durable orchestrations and activities on the Durable Task Framework's Azure Storage backend: the storage
    /// connection is <c>AzureWebJobsStorage</c> (as Durable Functions uses by default), the hub name host.json's.
    /// Registers <see cref="DurableTaskClient"/> (what <c>[DurableClient]</c> parameters receive) and a hosted
    /// worker that runs every orchestrator and activity in <paramref name="functions"/>.
    /// </summary>
    public static IServiceCollection AddLocalDurableTask(
        this IServiceCollection services, IConfiguration configuration, HostJson hostJson,
        IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        var durable = functions.Where(f => f.Kind is TriggerKind.Orchestration or TriggerKind.Activity).ToList();
        foreach (var function in durable)
        {
            if (function.Kind == TriggerKind.Orchestration)
            {
                FunctionOrchestrator.EnsureBindable(function);
            }
            else
            {
                FunctionActivity.EnsureBindable(function);
            }
        }

        var options = new LocalDurableOptions
        {
            StorageConnectionString = AppSettings.StorageConnection(configuration, null, "Durable task hub"),
            // The app setting that overrides host.json in Azure too (tests use it for a private hub).
            HubName = AppSettings.Lookup(configuration, HubNameSetting) ?? hostJson.DurableHubName,
            // host.json's interval is for Azure; locally never wait longer than ~500 ms on an idle queue.
            MaxQueuePollingInterval = hostJson.DurableMaxQueuePollingInterval < TimeSpan.FromMilliseconds(500)
                ? hostJson.DurableMaxQueuePollingInterval
                : TimeSpan.FromMilliseconds(500),
            ControlQueueVisibilityTimeout = hostJson.DurableControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = hostJson.DurableWorkItemQueueVisibilityTimeout,
            PartitionCount = int.TryParse(configuration["LocalHost:Durable:PartitionCount"], out var partitions) ? partitions : 4,
        };

        services.AddSingleton(options);
        services.AddSingleton<LocalTaskHub>();
        services.AddSingleton<LocalDurableTaskClient>();
        services.AddSingleton<DurableTaskClient>(sp => sp.GetRequiredService<LocalDurableTaskClient>());
        services.AddHostedService(sp => new DurableWorkerService(
            sp.GetRequiredService<LocalTaskHub>(), durable, sp, sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<ILogger<DurableWorkerService>>()));
        // DTFx logs every poll and lease renewal at Information.
        services.AddLogging(logging => logging.AddFilter("DurableTask", LogLevel.Warning));
        runners.Claim(TriggerKind.Orchestration);
        runners.Claim(TriggerKind.Activity);
        return services;
    }
}
