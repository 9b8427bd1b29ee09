using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Health;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.HealthId;
using Ndhm.Infrastructure.Keys;
using Ndhm.Infrastructure.Storage;

namespace Ndhm.Infrastructure;

public static class InfrastructureServices
{
    /// <summary>Adapters for storage, Cosmos and keys, and a probe for each.</summary>
    public static IServiceCollection AddNdhmInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new StorageClients(configuration));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyProbe, StorageProbe>());
        services.AddNdhmKeys(configuration);
        Privacy.PrivacyServices.AddPrivacy(services, configuration);
        Registry.RegistryServices.AddRegistry(services, configuration);
        Audit.AuditServices.AddAudit(services);

        var cosmos = CosmosSettings.FromConfiguration(configuration);
        services.TryAddSingleton(cosmos);
        services.TryAddSingleton(_ => CosmosClientFactory.Create(cosmos));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyProbe, CosmosProbe>());
        if (cosmos.Key is not null)
        {
            // Key authentication only ever means the emulator: Azure deployments use the managed identity.
            services.AddHostedService<CosmosSandboxInitialization>();
        }

        services.TryAddSingleton(_ => Core.RateLimits.RateLimitPolicies.FromSettings(configuration.GetSetting));
        services.TryAddSingleton<Core.RateLimits.IRateLimiter, RateLimits.CosmosRateLimiter>();
        services.AddHealthId(configuration);
        Consent.ConsentServices.AddConsent(services, configuration);
        Phr.PhrServices.AddPhr(services, configuration);
        Telemedicine.TelemedicineServices.AddTelemedicine(services, configuration);
        DataTransfer.DataTransferServices.AddDataTransfer(services, configuration);
        Phr.PatientPullServices.AddPatientPulls(services, configuration);
        Pharmacy.PharmacyServices.AddPharmacy(services, configuration);
        Analytics.AnalyticsServices.AddAnalytics(services, configuration);
        return services;
    }
}
