using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.DataTransfer;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.DataTransfer;

public static class DataTransferServices
{
    /// <summary>The health-information exchange: options (<c>DataTransfer__*</c>), the Cosmos store, the gateway messenger and partner lookup.</summary>
    public static IServiceCollection AddDataTransfer(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => DataTransferOptions.From(configuration.GetSetting));
        services.TryAddSingleton<ITransferStore, CosmosTransferStore>();
        services.TryAddSingleton<PushTokenSigner>();
        services.TryAddSingleton<GatewayTransferMessenger>();
        // The platform's own HIU (the patient's PHR pulls) has no bridge: its outcomes go to the patient instead.
        services.TryAddSingleton<ITransferMessenger, Phr.PatientPullAwareMessenger>();
        services.TryAddSingleton<ITransferPatientNotifier, SmsTransferPatientNotifier>();
        services.TryAddSingleton<ITransferPartners, GatewayTransferPartners>();
        // The platform as the HIP of the care contexts it links itself (teleconsultation notes, e-prescriptions, dispensings).
        services.TryAddSingleton<Ndhm.DataTransfer.PlatformHip.IPlatformHeldCareContexts, LinkedPlatformCareContexts>();
        services.TryAddSingleton<Ndhm.DataTransfer.PlatformHip.IPlatformHipRecords, PhrPlatformHipRecords>();
        services.TryAddSingleton<Ndhm.DataTransfer.PlatformHip.IPlatformHipPusher, HipDataSenderPlatformPusher>();
        services.TryAddSingleton<Ndhm.DataTransfer.PlatformHip.IHiuTransactionNotice, DeliveryHiuTransactionNotice>();
        services.TryAddSingleton<DataTransferService>();
        services.TryAddSingleton<Ndhm.DataTransfer.PlatformHip.PlatformHipService>();
        return services;
    }
}
