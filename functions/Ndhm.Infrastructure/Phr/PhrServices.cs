using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Phr;
using Ndhm.Phr.Consents;
using Ndhm.Phr.DataRights;
using Ndhm.Phr.Records;
using Ndhm.Privacy.Export;

namespace Ndhm.Infrastructure.Phr;

public static class PhrServices
{
    /// <summary>
    /// The patient's health record: <see cref="PhrRecordService"/> over Cosmos <c>health-records</c> and the
    /// <c>health-records</c> blob container, the consent store's grants, the export source and the erasure step; and
    /// <see cref="Ndhm.Core.Records.IProviderRecords"/> (records the platform's care providers write, with their care
    /// context links: needs linking's <c>PlatformCareContextLinking</c>, registered by <c>AddLinking</c>).
    /// Settings <c>Phr__MaxUploadBytes</c> (10 MiB), <c>Phr__InlinePayloadBytes</c> (256 KiB), <c>Phr__BlobContainer</c> (health-records).
    /// </summary>
    public static IServiceCollection AddPhr(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var options = new PhrOptions();
            if (long.TryParse(configuration["Phr:MaxUploadBytes"], System.Globalization.CultureInfo.InvariantCulture, out var max) && max > 0)
                options.MaxUploadBytes = max;
            if (int.TryParse(configuration["Phr:InlinePayloadBytes"], System.Globalization.CultureInfo.InvariantCulture, out var inline) && inline > 0)
                options.InlinePayloadBytes = inline;
            if (configuration["Phr:BlobContainer"] is { Length: > 0 } container) options.BlobContainer = container;
            return options;
        });
        services.TryAddSingleton<PhrPatientKeys>();
        services.TryAddSingleton<IHealthRecordStore, CosmosHealthRecordStore>();
        services.TryAddSingleton<IHealthRecordPayloads, BlobHealthRecordPayloads>();
        services.TryAddSingleton<IPatientConsentGrants, ConsentStorePatientGrants>();
        services.TryAddSingleton<PhrAudit>();
        services.TryAddSingleton<PhrRecordService>();
        services.TryAddSingleton<Ndhm.Core.Records.IProviderRecords, PhrProviderRecords>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPatientClinicalRecordSource, PhrClinicalRecordSource>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPatientErasureStep, PhrErasure>());
        return services;
    }
}
