using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Durable;

public static class LocalDurableExtensions
{
    /// <summary>Durable orchestrations and activities on the Durable Task Framework's Azure Storage backend.</summary>
    public static IServiceCollection AddLocalDurableTask(
        this IServiceCollection services, IConfiguration configuration, HostJson hostJson,
        IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        return services;
    }
}
