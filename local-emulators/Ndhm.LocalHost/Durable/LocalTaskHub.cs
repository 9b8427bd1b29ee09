using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Ndhm.LocalHost.Durable;

/// <summary>
/// The task hub on Azure Storage (Azurite locally): the same backend and layout Durable Functions uses by default,
/// so orchestration state lives in storage and survives the host. Shared by the worker and the client.
/// </summary>
public sealed class LocalTaskHub : IDisposable
{
    private readonly Lock gate = new();
    private Task? created;

    public LocalTaskHub(LocalDurableOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        Settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(options.StorageConnectionString),
            TaskHubName = options.HubName,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkerId = options.WorkerId,
            ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = options.WorkItemQueueVisibilityTimeout,
            LoggerFactory = loggerFactory,
        };
        Service = new AzureStorageOrchestrationService(Settings);
        Client = new TaskHubClient(Service, SystemTextJsonDataConverter.Instance, loggerFactory);
    }

    public LocalDurableOptions Options { get; }

    /// <summary>The backend's settings as the host applied them (for tests of what host.json sets).</summary>
    public AzureStorageOrchestrationServiceSettings Settings { get; }

    public AzureStorageOrchestrationService Service { get; }

    public TaskHubClient Client { get; }

    /// <summary>
    /// Creates the hub's queues, tables and containers once per process if they are missing. A failed attempt
    /// (storage not up yet) is not cached: the next caller tries again.
    /// </summary>
    public Task EnsureCreatedAsync()
    {
        lock (gate)
        {
            if (created is null || created.IsFaulted || created.IsCanceled)
            {
                created = Service.CreateIfNotExistsAsync();
            }

            return created;
        }
    }

    public void Dispose() => Service.Dispose();
}
