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
        services.TryAddSingleton<ITransferPartners, GatewayTransferPartners>();
        services.TryAddSingleton<DataTransferService>();
        return services;
    }
}
