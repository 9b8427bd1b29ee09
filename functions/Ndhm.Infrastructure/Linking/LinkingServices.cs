using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Abdm;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Linking;

public static class LinkingServices
{
    public const string PlatformOtpHips = "Linking__PlatformOtpHips";
    public const string PatientAppUrl = "Linking__PatientAppUrl";

    /// <summary>
    /// Care-context discovery and linking: the services, their Cosmos store and the adapters to the gateway and Health ID.
    /// Lifetimes and limits come from the ABDM settings (<c>Abdm__DiscoveryTimeout</c>, <c>Abdm__LinkTokenLifetime</c>,
    /// <c>Abdm__OtpLifetime</c>, <c>Abdm__MaxCareContextsPerLink</c>); <c>Linking__PlatformOtpHips</c> (comma-separated HIP ids
    /// whose linking OTP the platform sends) and <c>Linking__PatientAppUrl</c> (the SMS deep link) are linking's own.
    /// </summary>
    public static IServiceCollection AddLinking(this IServiceCollection services, IConfiguration configuration)
    {
        var platformOtpHips = (configuration.GetSetting(PlatformOtpHips) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var patientAppUrl = configuration.GetSetting(PatientAppUrl) ?? new LinkingOptions().PatientAppUrl;
        services.TryAddSingleton(sp =>
        {
            var abdm = sp.GetRequiredService<AbdmSettings>();
            return new LinkingOptions
            {
                DiscoveryTimeout = abdm.DiscoveryTimeout, LinkTokenLifetime = abdm.LinkTokenLifetime, OtpLifetime = abdm.OtpLifetime,
                MaxCareContextsPerLink = abdm.MaxCareContextsPerLink, PlatformOtpHips = platformOtpHips, PatientAppUrl = patientAppUrl,
            };
        });
        var sandbox = string.Equals(configuration.GetSetting(SettingNames.Environment), "Sandbox", StringComparison.OrdinalIgnoreCase);
        services.TryAddSingleton<ICareContextLinkStore, CosmosCareContextLinkStore>();
        services.AddSingleton<Ndhm.Core.Maintenance.IDataMigration>(sp => new LinkHipIdMigration(
            ActivatorUtilities.CreateInstance<CosmosCareContextLinkStore>(sp), sp.GetRequiredService<Ndhm.Core.Partners.IPartnerDirectory>()));
        Analytics.AnalyticsServices.AddLinkingFacts(services);
        Consent.ConsentServices.AddSubscriptionLinkEvents(services);
        services.TryAddSingleton<IHipBridge, CallbackHipBridge>();
        services.TryAddSingleton<IHipDirectory, PartnerHipDirectory>();
        services.TryAddSingleton<IPatientDirectory, HealthIdPatientDirectory>();
        services.TryAddSingleton<ILinkOtp, HealthIdLinkOtp>();
        services.TryAddSingleton<IPatientNotifier>(sp => new PatientSmsNotifier(sp.GetRequiredService<CosmosClient>(),
            sp.GetRequiredService<CosmosSettings>(), sp.GetRequiredService<TimeProvider>(), sandbox, sp.GetRequiredService<ILogger<PatientSmsNotifier>>()));
        services.TryAddSingleton<LinkingAudit>();
        services.TryAddSingleton<PatientLinkingService>();
        services.TryAddSingleton<IPatientAuthLinkGrants, PartnerAuthLinkGrants>();
        services.TryAddSingleton<HipInitiatedLinkingService>();
        services.TryAddSingleton<PlatformCareContextLinking>();
        services.TryAddSingleton<ILinkedCareContexts, LinkedCareContextsReader>();
        services.TryAddSingleton<IPatientStatusNoticeStore, CosmosPatientStatusNoticeStore>();
        services.TryAddSingleton<PatientStatusNotifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.HealthId.Accounts.IAbhaStatusListener, LinkedHipsStatusListener>());
        services.TryAddSingleton<Ndhm.Linking.ProfileSharing.FacilityQrSigner>();
        services.TryAddSingleton<Ndhm.Linking.ProfileSharing.IProfileShareStore, CosmosProfileShareStore>();
        services.TryAddSingleton<Ndhm.Linking.ProfileSharing.ProfileShareService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.Privacy.Export.IPatientDataExportSection, LinkedCareContextsExportSection>());
        return services;
    }

}
