using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ndhm.Triggers.Consent;

public static class ConsentTriggerServices
{
    /// <summary>The ABDM consent callbacks helper (the consent manager itself is registered by <c>AddNdhmInfrastructure</c>).</summary>
    public static IServiceCollection AddConsentHttp(this IServiceCollection services)
    {
        services.TryAddSingleton<AbdmConsentCallbacks>();
        return services;
    }
}
