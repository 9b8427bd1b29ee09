using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Configuration;
using Ndhm.Core.Keys;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hiu;
using Ndhm.DataTransfer.PatientPulls;
using Ndhm.Fhir.Validation;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.DataTransfer;

namespace Ndhm.Infrastructure.Phr;

/// <summary>The platform as the patient's own HIU (PHR pulls): the service, its adapters, and the HIU-side receiver that stores into the PHR.</summary>
public static class PatientPullServices
{
    public const string HiuReceiverKey = "phr";

    public static IServiceCollection AddPatientPulls(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var options = new PatientPullOptions();
            if (configuration.GetSetting(SettingNames.PublicBaseUrl) is { Length: > 0 } baseUrl)
                options.DataPushUrl = baseUrl.TrimEnd('/') + "/api/v1/phr/data-push";
            if (configuration["PatientPulls:DataPushUrl"] is { Length: > 0 } pushUrl) options.DataPushUrl = pushUrl;
            return options;
        });
        services.TryAddSingleton<IPullPatients, DirectoryPullPatients>();
        services.TryAddSingleton<IPullLinkedCareContexts, LinkedPullCareContexts>();
        services.TryAddSingleton<IPullKeyVault, CosmosPullKeyVault>();
        services.TryAddSingleton<IPullOutcomeNotifier, SmsPullOutcomeNotifier>();
        services.TryAddSingleton<PatientPullService>();
        services.TryAddSingleton<PhrDecryptedRecordSink>();
        services.TryAddSingleton(_ => new LinkedEntryFetcher(new LinkedEntryFetcherOptions
        {
            // Plain http to this machine only where the sample HIPs serve their links on http://localhost: the sandbox, when asked.
            AllowLoopbackForSandbox = string.Equals(configuration.GetSetting(SettingNames.Environment), "Sandbox", StringComparison.OrdinalIgnoreCase)
                                      && string.Equals(configuration["DataTransfer:LinkFetchAllowLoopback"], "true", StringComparison.OrdinalIgnoreCase),
        }));
        services.TryAddSingleton(sp =>
        {
            var keys = sp.GetRequiredService<ISigningKeys>();
            var time = sp.GetRequiredService<TimeProvider>();
            return new HiuDataReceiver(new PlatformHiuTransferContexts(sp.GetRequiredService<ITransferStore>(), sp.GetRequiredService<IPullKeyVault>()),
                new SignedPushTokenAuthenticator(async ct => await keys.GetPublicKeysAsync(refresh: false, ct), time),
                new CosmosPushPageLog(sp.GetRequiredService<Microsoft.Azure.Cosmos.CosmosClient>(), sp.GetRequiredService<Cosmos.CosmosSettings>()),
                sp.GetRequiredService<IFhirDocumentValidator>(), sp.GetRequiredService<PhrDecryptedRecordSink>(), time,
                sp.GetRequiredService<LinkedEntryFetcher>());
        });
        return services;
    }
}
