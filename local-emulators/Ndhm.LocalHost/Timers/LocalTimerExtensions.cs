using Microsoft.Azure.Functions.Worker;
using Ndhm.LocalHost.Hosting;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Timers;

public static class LocalTimerExtensions
{
    /// <summary>
    /// Timer triggers scheduled from their CRON expressions (<c>%SETTING%</c> resolved; the time zone is
    /// <c>WEBSITE_TIME_ZONE</c> when set, as in Azure, else UTC). Invalid schedules stop the host at start-up. Schedule
    /// status is kept in <c>AzureWebJobsStorage</c> under the host id <c>LocalHost:HostId</c> (default
    /// <c>ndhm-localhost</c>).
    /// </summary>
    public static IServiceCollection AddLocalTimerTriggers(
        this IServiceCollection services, IConfiguration configuration,
        IReadOnlyList<FunctionDescriptor> functions, TriggerRunners runners)
    {
        var zone = AppSettings.Lookup(configuration, "WEBSITE_TIME_ZONE") is { } zoneId
            ? TimeZoneInfo.FindSystemTimeZoneById(zoneId)
            : TimeZoneInfo.Utc;
        var timers = functions.Where(f => f.Kind == TriggerKind.Timer).ToList();
        if (timers.Count > 0)
        {
            var connection = AppSettings.StorageConnection(configuration, null, timers[0].Name);
            var hostId = configuration["LocalHost:HostId"] is { Length: > 0 } id ? id : "ndhm-localhost";
            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TimerScheduleMonitor>(sp, connection, hostId));
        }

        foreach (var function in timers)
        {
            TimerRunner.EnsureBindable(function);
            var trigger = function.TriggerAs<TimerTriggerAttribute>();
            var schedule = TimerSchedule.Parse(AppSettings.Resolve(configuration, trigger.Schedule, function.Name), zone, function.Name);
            services.AddSingleton<IHostedService>(sp => ActivatorUtilities.CreateInstance<TimerRunner>(
                sp, function, schedule, trigger.RunOnStartup));
        }

        runners.Claim(TriggerKind.Timer);
        return services;
    }
}
