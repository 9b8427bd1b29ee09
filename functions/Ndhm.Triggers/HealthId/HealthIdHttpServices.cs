using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ndhm.Triggers.HealthId;

public static class HealthIdHttpServices
{
    /// <summary>The HTTP edge of Health ID (the domain and adapters come from <c>AddHealthId</c> in Infrastructure).</summary>
    public static IServiceCollection AddHealthIdHttp(this IServiceCollection services)
    {
        services.TryAddSingleton<SensitiveFields>();
        services.TryAddSingleton<AbhaCardDownload>();
        return services;
    }
}
