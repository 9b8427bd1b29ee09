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
        return services;
    }
}
