using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Queues;

/// <summary>One queue-triggered function and the host.json queue settings it runs with.</summary>
public sealed record QueueListenerOptions(
    FunctionDescriptor Function,
    string QueueName,
    string ConnectionString,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    int BatchSize,
    int NewBatchThreshold)
{
    /// <summary>
    /// How long a received message stays invisible while its function runs. The listener renews it at half this
    /// interval for as long as the function runs, as the Functions host does (10 minutes there).
    /// </summary>
    public TimeSpan ProcessingLease { get; init; } = DefaultProcessingLease;

    public static TimeSpan DefaultProcessingLease { get; } = TimeSpan.FromMinutes(10);

    public string PoisonQueueName => QueueName + "-poison";
}
