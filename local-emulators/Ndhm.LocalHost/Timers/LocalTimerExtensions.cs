using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Timers;

public static class LocalTimerExtensions
{
    /// <summary>Timer triggers scheduled from their CRON expressions.</summary>
    public static IServiceCollection AddLocalTimerTriggers(
        this IServiceCollection services, IConfiguration configuration,
        IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        return services;
    }
}
