using Microsoft.Azure.Functions.Worker;
using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Queues;

public static class LocalQueueExtensions
{
    /// <summary>
    /// Storage queue triggers polled from Azurite, with poison queues as the Functions host has them: one listener
    /// per <c>[QueueTrigger]</c> function, queue names with <c>%SETTING%</c> resolved, connections by setting name.
    /// </summary>
    public static IServiceCollection AddLocalQueueTriggers(
        this IServiceCollection services, IConfiguration configuration, HostJson hostJson,
        IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        foreach (var function in functions.Where(f => f.Kind == TriggerKind.Queue))
        {
            QueueMessageBinder.EnsureBindable(function);
            var trigger = function.TriggerAs<QueueTriggerAttribute>();
            var listener = new QueueListenerOptions(
                function,
                QueueName: AppSettings.Resolve(configuration, trigger.QueueName, function.Name).ToLowerInvariant(),
                ConnectionString: AppSettings.StorageConnection(configuration, trigger.Connection, function.Name),
                MaxDequeueCount: hostJson.QueueMaxDequeueCount,
                VisibilityTimeout: hostJson.QueueVisibilityTimeout,
                MaxPollingInterval: hostJson.QueueMaxPollingInterval,
                BatchSize: Math.Clamp(hostJson.QueueBatchSize, 1, 32),
                NewBatchThreshold: Math.Max(0, hostJson.QueueNewBatchThreshold))
            {
                ProcessingLease = ProcessingLease(configuration),
            };
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<QueueListener>(sp, listener));
        }

        runners.Claim(TriggerKind.Queue);
        return services;
    }

    /// <summary>Local-host only knob (not in host.json): tests shorten the lease to see renewal happen.</summary>
    private static TimeSpan ProcessingLease(IConfiguration configuration) =>
        int.TryParse(configuration["LocalHost:QueueProcessingLeaseSeconds"], out var seconds) && seconds >= 2
            ? TimeSpan.FromSeconds(seconds)
            : QueueListenerOptions.DefaultProcessingLease;
}
