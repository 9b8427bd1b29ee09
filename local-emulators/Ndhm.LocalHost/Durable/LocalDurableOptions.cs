namespace Ndhm.LocalHost.Durable;

/// <summary>Where and how the local host runs durable orchestrations.</summary>
public sealed class LocalDurableOptions
{
    /// <summary>Storage connection string (Azurite locally) holding the task hub's queues, tables and blobs.</summary>
    public required string StorageConnectionString { get; init; }

    /// <summary>host.json <c>durableTask.hubName</c>; tests use a unique one per run.</summary>
    public required string HubName { get; init; }

    /// <summary>
    /// Upper bound of the idle back-off of the control and work-item queue polls. The Functions default is 30 s;
    /// locally ~500 ms keeps an orchestration step from waiting seconds on an idle queue.
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long an orchestration step (control queue) or activity (work-item queue) message taken by a worker stays
    /// invisible to others: after a crash, the step waits this long before another worker runs it. Workers renew it
    /// while they run. host.json <c>durableTask.storageProvider.controlQueueVisibilityTimeout</c> and
    /// <c>workItemQueueVisibilityTimeout</c>, as in Azure (default 5 minutes each).
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <inheritdoc cref="ControlQueueVisibilityTimeout"/>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Control-queue partitions (Functions default 4). Fixed when the hub is created.</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary>
    /// Identifies this worker in partition leases. Unique per process so that a restarted host is a new owner and
    /// takes over the partitions a killed one held once their leases expire.
    /// </summary>
    public string WorkerId { get; init; } = NewWorkerId();

    private static string NewWorkerId()
    {
        var id = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        return id.Length <= 60 ? id : id[^60..];
    }
}
