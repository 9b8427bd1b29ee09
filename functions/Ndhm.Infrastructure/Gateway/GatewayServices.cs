using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Core.Partners;
using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Events;
using Ndhm.Gateway.Inbound;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Storage;

namespace Ndhm.Infrastructure.Gateway;

public static class GatewayServices
{
    /// <summary>Partners, the partner directory, callbacks (dispatcher, processor, sender), request log, partner events.</summary>
    public static IServiceCollection AddNdhmGateway(this IServiceCollection services, IConfiguration configuration)
    {
        var options = GatewayOptions.FromConfiguration(configuration);
        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Backoff);
        services.TryAddSingleton(_ => new ClientSecrets(options.SecretHashIterations));
        services.TryAddSingleton<IPartnerStore, CosmosPartnerStore>();
        services.TryAddSingleton<CachedPartnerDirectory>();
        services.TryAddSingleton<IPartnerDirectory>(sp => sp.GetRequiredService<CachedPartnerDirectory>());
        services.TryAddSingleton<IDeliveryStore, CosmosDeliveryStore>();
        services.TryAddSingleton<IDeliveryQueue, StorageDeliveryQueue>();
        services.TryAddSingleton<ICallbackSender>(sp => new HttpCallbackSender(HttpCallbackSender.CreateClient(),
            sp.GetRequiredService<JwtIssuer>(), options, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ICallbackDispatcher, CallbackDispatcher>();
        services.TryAddSingleton(sp => new DeliveryProcessor(sp.GetRequiredService<IDeliveryStore>(), sp.GetRequiredService<IDeliveryQueue>(),
            sp.GetRequiredService<ICallbackSender>(), sp.GetRequiredService<IPartnerDirectory>(), options.Backoff, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IRequestLog, CosmosRequestLog>();
        services.TryAddSingleton<PartnerService>();
        services.TryAddSingleton<Ndhm.Gateway.Simulator.IBridgeInbox, CosmosBridgeInbox>();
        if (PartnerEventTransports.Choose(configuration) == PartnerEventTransport.ServiceBusTopic)
        {
            services.TryAddSingleton<IPartnerEventPublisher>(_ => new ServiceBusPartnerEventPublisher(configuration));
        }
        else
        {
            services.TryAddSingleton<IPartnerEventPublisher>(sp => new QueuePartnerEventPublisher(sp.GetRequiredService<StorageClients>()));
        }

        return services;
    }
}
