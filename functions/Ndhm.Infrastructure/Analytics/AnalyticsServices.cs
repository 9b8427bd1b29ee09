using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Analytics;

namespace Ndhm.Infrastructure.Analytics;

public static class AnalyticsServices
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var options = new AnalyticsOptions();
            configuration.GetSection(AnalyticsOptions.Section).Bind(options);
            return options;
        });
        services.TryAddSingleton(AnalyticsDefinitions.Default);
        services.TryAddSingleton<IAnalyticsFacts, CosmosAnalyticsFacts>();
        services.TryAddSingleton<IAnalyticsFactFeed, CosmosAnalyticsFactFeed>();
        services.TryAddSingleton<IAggregateSliceStore, CosmosAggregateSliceStore>();
        services.TryAddSingleton<AnalyticsIngestion>();
        services.TryAddSingleton<AnalyticsQueries>();
        DecorateWithEnrolmentFacts(services);
        return services;
    }

    // The account store stays HealthId's; enrolments are reported by wrapping it (registered before this runs).
    private static void DecorateWithEnrolmentFacts(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(Ndhm.HealthId.Enrolment.IAbhaAccountStore));
        if (registered is null || registered.ImplementationType == typeof(EnrolmentFacts)) return;
        services.Remove(registered);
        services.AddSingleton<Ndhm.HealthId.Enrolment.IAbhaAccountStore>(sp => new EnrolmentFacts(
            (Ndhm.HealthId.Enrolment.IAbhaAccountStore)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetRequiredService<IAnalyticsFacts>(), sp.GetRequiredService<TimeProvider>()));
    }
}
