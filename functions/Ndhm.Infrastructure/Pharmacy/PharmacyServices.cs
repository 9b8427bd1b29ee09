using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Consultations;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Infrastructure.Pharmacy;

public static class PharmacyServices
{
    /// <summary>E-prescriptions and pharmacy fulfilment: services, Cosmos stores, the order queue, the gateway notifier, the catalogue.</summary>
    public static IServiceCollection AddPharmacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(new PharmacyOptions
        {
            PrescriptionValidityDays = Positive(configuration.GetSetting(SettingNames.PharmacyPrescriptionValidityDays), 30),
            MaxBroadcastPharmacies = Positive(configuration.GetSetting(SettingNames.PharmacyMaxBroadcastPharmacies), 20),
        });
        services.TryAddSingleton(_ => LoadCatalogue(configuration.GetSetting(SettingNames.PharmacyCatalogueFile)));
        services.TryAddSingleton(new PharmacyQueueName(configuration.GetSetting(SettingNames.PharmacyOrderQueue) is { Length: > 0 } q ? q : PharmacyQueueName.Default));
        services.TryAddSingleton<PharmacyRecords>();
        services.TryAddSingleton<IPrescriptionStore, CosmosPrescriptionStore>();
        services.TryAddSingleton<IShareStore, CosmosShareStore>();
        services.TryAddSingleton<IOrderStore, CosmosOrderStore>();
        services.TryAddSingleton<IPatientPharmacyIndex, CosmosPatientPharmacyIndex>();
        services.TryAddSingleton<IDispensingLedgerStore, CosmosDispensingLedgerStore>();
        services.TryAddSingleton<IDispensingRegister, CosmosDispensingRegister>();
        services.TryAddSingleton<IPharmacyDirectory, RegistryPharmacyDirectory>();
        services.TryAddSingleton<StorageOrderEventQueue>();
        services.TryAddSingleton<IOrderEventQueue>(sp => sp.GetRequiredService<StorageOrderEventQueue>());
        services.TryAddSingleton<IOrderPoisonQueue>(sp => sp.GetRequiredService<StorageOrderEventQueue>());
        services.TryAddSingleton<IPharmacyNotifier, GatewayPharmacyNotifier>();
        services.TryAddSingleton<TelemedicineConsultationFacts>();
        if (string.Equals(configuration.GetSetting(SettingNames.PharmacySandboxConsultationFacts), "true", StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<SandboxConsultationFacts>();
            services.TryAddSingleton<IConsultationFacts, SandboxOrTelemedicineConsultationFacts>();
            services.TryAddSingleton<ISandboxConsultationSeed>(sp => sp.GetRequiredService<SandboxConsultationFacts>());
        }
        else
        {
            services.TryAddSingleton<IConsultationFacts>(sp => sp.GetRequiredService<TelemedicineConsultationFacts>());
        }

        services.TryAddSingleton<PrescriptionSigner>();
        services.TryAddSingleton<PharmacyAudit>();
        services.TryAddSingleton<PrescriptionService>();
        services.TryAddSingleton<FulfilmentService>();
        services.TryAddSingleton<PatientPharmacyListing>();
        services.TryAddSingleton<OrderProcessor>();
        return services;
    }

    /// <summary>The operator's catalogue file when set (a bad one fails start-up), else the shipped sample.</summary>
    public static DrugCatalogue LoadCatalogue(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return DrugCatalogue.Sample();
        using var file = File.OpenRead(path);
        return DrugCatalogue.Load(file);
    }

    private static int Positive(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : fallback;
}
