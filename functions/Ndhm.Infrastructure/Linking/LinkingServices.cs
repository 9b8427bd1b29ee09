using System.Globalization;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Linking;

public static class LinkingServices
{
    public const string DiscoveryTimeoutSeconds = "Linking__DiscoveryTimeoutSeconds";
    public const string LinkTokenHours = "Linking__LinkTokenHours";
    public const string OtpMinutes = "Linking__OtpMinutes";
    public const string MaxCareContexts = "Linking__MaxCareContexts";
    public const string PlatformOtpHips = "Linking__PlatformOtpHips";
    public const string PatientAppUrl = "Linking__PatientAppUrl";

    /// <summary>Care-context discovery and linking: the services, their Cosmos store and the adapters to the gateway and Health ID.</summary>
    public static IServiceCollection AddLinking(this IServiceCollection services, IConfiguration configuration)
    {
        var defaults = new LinkingOptions();
        services.TryAddSingleton(new LinkingOptions
        {
            DiscoveryTimeout = TimeSpan.FromSeconds(Number(configuration, DiscoveryTimeoutSeconds) ?? defaults.DiscoveryTimeout.TotalSeconds),
            LinkTokenLifetime = TimeSpan.FromHours(Number(configuration, LinkTokenHours) ?? defaults.LinkTokenLifetime.TotalHours),
            OtpLifetime = TimeSpan.FromMinutes(Number(configuration, OtpMinutes) ?? defaults.OtpLifetime.TotalMinutes),
            MaxCareContextsPerLink = (int)(Number(configuration, MaxCareContexts) ?? defaults.MaxCareContextsPerLink),
            PlatformOtpHips = (configuration.GetSetting(PlatformOtpHips) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal),
            PatientAppUrl = configuration.GetSetting(PatientAppUrl) ?? defaults.PatientAppUrl,
        });
        var sandbox = string.Equals(configuration.GetSetting(SettingNames.Environment), "Sandbox", StringComparison.OrdinalIgnoreCase);
        services.TryAddSingleton<ICareContextLinkStore, CosmosCareContextLinkStore>();
        services.TryAddSingleton<IHipBridge, CallbackHipBridge>();
        services.TryAddSingleton<IHipDirectory, PartnerHipDirectory>();
        services.TryAddSingleton<IPatientDirectory, HealthIdPatientDirectory>();
        services.TryAddSingleton<ILinkOtp, HealthIdLinkOtp>();
        services.TryAddSingleton<IPatientNotifier>(sp => new PatientSmsNotifier(sp.GetRequiredService<CosmosClient>(),
            sp.GetRequiredService<CosmosSettings>(), sp.GetRequiredService<TimeProvider>(), sandbox, sp.GetRequiredService<ILogger<PatientSmsNotifier>>()));
        services.TryAddSingleton<LinkingAudit>();
        services.TryAddSingleton<PatientLinkingService>();
        services.TryAddSingleton<HipInitiatedLinkingService>();
        services.TryAddSingleton<ILinkedCareContexts, LinkedCareContextsReader>();
        return services;
    }

    private static double? Number(IConfiguration configuration, string name) =>
        double.TryParse(configuration.GetSetting(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
