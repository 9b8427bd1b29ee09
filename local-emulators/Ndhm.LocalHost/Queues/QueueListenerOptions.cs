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
    int BatchSize)
{
    public string PoisonQueueName => QueueName + "-poison";
}
