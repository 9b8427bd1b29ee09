using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Configuration;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Registry;

public static class RegistryServices
{
    /// <summary>
    /// The facility (HFR) and professional (HPR) registries: domain services, their Cosmos stores, and the
    /// ports other capabilities call (<see cref="IFacilityRegistry"/>, <see cref="IProfessionalRegistry"/>).
    /// </summary>
    public static IServiceCollection AddRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        var suffix = configuration.GetSetting(SettingNames.RegistryHprAddressSuffix);
        services.TryAddSingleton(new RegistryOptions
        {
            HprAddressSuffix = string.IsNullOrWhiteSpace(suffix) ? new RegistryOptions().HprAddressSuffix : suffix.Trim().TrimStart('@'),
        });
        services.TryAddSingleton<IRegistryRandom, CryptoRegistryRandom>();
        services.TryAddSingleton<RegistryAudit>();
        services.TryAddSingleton<IFacilityStore, CosmosFacilityStore>();
        services.TryAddSingleton<IProfessionalStore, CosmosProfessionalStore>();
        services.TryAddSingleton<FacilityService>();
        services.TryAddSingleton<IFacilityRegistry>(sp => sp.GetRequiredService<FacilityService>());
        services.TryAddSingleton<ProfessionalService>();
        services.TryAddSingleton<IProfessionalRegistry>(sp => sp.GetRequiredService<ProfessionalService>());
        return services;
    }
}
