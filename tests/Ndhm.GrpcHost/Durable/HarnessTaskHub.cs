using DurableTask.AzureStorage;

namespace Ndhm.GrpcHost.Durable;

/// <summary>
/// The task hub the harness's Durable host runs: DTFx's Azure Storage backend (Azurite in tests), as the Durable
/// extension uses by default. The dispatcher and the worker's client calls share it.
/// </summary>
public sealed class HarnessTaskHub : IDisposable
{
    public HarnessTaskHub(DurableHostSettings settings, ILoggerFactory loggerFactory)
    {
        Settings = settings;
        Service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(settings.StorageConnectionString),
            TaskHubName = settings.HubName,
            MaxQueuePollingInterval = settings.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = settings.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = settings.WorkItemQueueVisibilityTimeout,
            // A new owner per harness process, so a restarted harness takes the partitions over once leases expire.
            WorkerId = $"grpchost-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40],
            LoggerFactory = loggerFactory,
        });
    }

    public DurableHostSettings Settings { get; }

    public AzureStorageOrchestrationService Service { get; }

    public Task EnsureCreatedAsync() => Service.CreateIfNotExistsAsync();

    public void Dispose() => Service.Dispose();
}
