using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Abdm;
using Ndhm.Gateway.Abdm;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Triggers.Abdm;

public static class AbdmTriggerServices
{
    /// <summary>The ABDM v0.5 protocol: settings (<c>Abdm__*</c>), the inbound verifier and the callback sender.</summary>
    public static IServiceCollection AddAbdmProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => AbdmSettings.From(configuration.GetSetting));
        services.TryAddSingleton<AbdmCallbacks>();
        services.TryAddSingleton<AbdmRequestVerifier>();
        return services;
    }
}
