using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Privacy;
using Ndhm.Privacy.Export;

namespace Ndhm.Infrastructure.Privacy;

public static class PrivacyServices
{
    /// <summary>
    /// Envelope encryption of personal data: the data key ring over <c>data-keys</c> and the Key Vault wrapping key,
    /// field and stream ciphers, the blob helper, the re-wrap job and the plaintext-field migration. Optional settings
    /// <c>Privacy__KeyCacheSeconds</c> (default 300) and <c>Privacy__KeyCacheCapacity</c> (default 10000).
    /// </summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ =>
        {
            var defaults = new PrivacyOptions();
            return new PrivacyOptions
            {
                KeyCacheDuration = int.TryParse(configuration["Privacy:KeyCacheSeconds"], out var seconds) && seconds >= 0
                    ? TimeSpan.FromSeconds(seconds)
                    : defaults.KeyCacheDuration,
                KeyCacheCapacity = int.TryParse(configuration["Privacy:KeyCacheCapacity"], out var capacity) && capacity >= 0
                    ? capacity
                    : defaults.KeyCacheCapacity,
            };
        });
        services.TryAddSingleton<DataKeyCache>();
        services.TryAddSingleton<IDataKeyStore, CosmosDataKeyStore>();
        services.TryAddSingleton<IRunCheckpoints, CosmosRunCheckpoints>();
        services.TryAddSingleton<DataKeyRing>();
        services.TryAddSingleton<FieldCipher>();
        services.TryAddSingleton<StreamCipher>();
        services.TryAddSingleton<EncryptedBlobs>();
        services.TryAddSingleton<PlaintextFieldEncryptor>();
        services.TryAddSingleton<DataKeyRewrapJob>();
        services.TryAddSingleton<CosmosFieldEncryptionMigration>();
        // The patient's export: capabilities add IPatientDataExportSection / IPatientClinicalRecordSource with TryAddEnumerable.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPatientDataExportSection, AuditTrailExportSection>());
        services.TryAddSingleton<PatientDataExport>();
        return services;
    }
}
