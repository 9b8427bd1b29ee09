using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Consent;
using Ndhm.Core.Abdm;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Consent;

public static class ConsentServices
{
    /// <summary>The consent manager, its Cosmos store, the gateway notifier, the Health ID patient lookup and the nominee port.</summary>
    public static IServiceCollection AddConsent(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var abdm = AbdmSettings.From(configuration.GetSetting);
            return new ConsentOptions
            {
            RequestLifetimeHours = Positive(configuration.GetSetting(SettingNames.ConsentRequestLifetimeHours), 72),
            EmergencyLifetime = abdm.BreakTheGlassLifetime,
            CmId = abdm.CmId,
            AckTimeoutSeconds = Positive(configuration.GetSetting(SettingNames.ConsentAckTimeoutSeconds), 300),
            };
        });
        services.TryAddSingleton<IConsentStore, CosmosConsentStore>();
        services.TryAddSingleton<IConsentNotifier, GatewayConsentNotifier>();
        services.TryAddSingleton<IConsentPatients, HealthIdConsentPatients>();
        services.TryAddSingleton<INomineeAuthority, HealthIdConsentNominees>();
        services.TryAddSingleton<IConsentCareContexts, LinkedConsentCareContexts>();
        services.TryAddSingleton<ConsentSigner>();
        services.TryAddSingleton<ConsentAudit>();
        services.TryAddSingleton<ConsentManager>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.Privacy.Export.IPatientDataExportSection, ConsentExportSection>());
        return services;
    }

    private static int Positive(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours > 0
            ? hours
            : fallback;
}
