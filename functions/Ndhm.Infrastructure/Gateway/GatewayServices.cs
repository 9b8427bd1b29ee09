using Azure.Messaging.ServiceBus.Administration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Configuration;
using Ndhm.Core.Partners;
using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Events;
using Ndhm.Gateway.Inbound;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Configuration;
using Ndhm.Infrastructure.Storage;

namespace Ndhm.Infrastructure.Gateway;

public static class GatewayServices
{
    /// <summary>Partners, the partner directory, callbacks (dispatcher, processor, sender), request log, partner events and their per-partner streams.</summary>
    public static IServiceCollection AddNdhmGateway(this IServiceCollection services, IConfiguration configuration)
    {
        var options = GatewayOptions.FromConfiguration(configuration);
        services.TryAddSingleton(options);
        services.TryAddSingleton(options.Backoff);
        services.TryAddSingleton(_ => new ClientSecrets(options.SecretHashIterations));
        services.TryAddSingleton<FacilityPartnerIndex>();
        services.TryAddSingleton<IPartnerStore, CosmosPartnerStore>();
        services.TryAddSingleton<IFacilityPartners, IndexedFacilityPartners>();
        services.AddSingleton<Ndhm.Core.Maintenance.IDataMigration>(sp =>
            new FacilityPartnerIndexMigration(ActivatorUtilities.CreateInstance<CosmosPartnerStore>(sp)));
        services.TryAddSingleton<IRefreshTokenStore, CosmosRefreshTokenStore>();
        services.TryAddSingleton(options.Sessions);
        services.TryAddSingleton(new PartnerPolicy(string.Equals(configuration.GetSetting(SettingNames.Environment), "Sandbox",
            StringComparison.OrdinalIgnoreCase)));
        services.TryAddSingleton<IPartnerDirectory, CachedPartnerDirectory>();
        // The cache that PartnerService invalidates is the directory's own.
        services.TryAddSingleton(sp => (IPartnerDirectoryCache)sp.GetRequiredService<IPartnerDirectory>());
        services.TryAddSingleton<IDeliveryStore, CosmosDeliveryStore>();
        services.TryAddSingleton<IDeliveryQueue, StorageDeliveryQueue>();
        services.TryAddSingleton<ICallbackSender>(sp => new HttpCallbackSender(HttpCallbackSender.CreateClient(),
            sp.GetRequiredService<JwtIssuer>(), options, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ICallbackDispatcher, CallbackDispatcher>();
        services.TryAddSingleton(sp => new DeliveryProcessor(sp.GetRequiredService<IDeliveryStore>(), sp.GetRequiredService<IDeliveryQueue>(),
            sp.GetRequiredService<ICallbackSender>(), sp.GetRequiredService<IPartnerDirectory>(), options.Backoff, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IRequestLog, CosmosRequestLog>();
        services.TryAddSingleton<HipFacilities>();
        services.TryAddSingleton<PartnerService>();
        services.TryAddSingleton<Ndhm.Gateway.Simulator.IBridgeInbox, CosmosBridgeInbox>();
        if (PartnerEventTransports.Choose(configuration) == PartnerEventTransport.ServiceBusTopic)
        {
            services.TryAddSingleton<IPartnerEventPublisher>(_ => new ServiceBusPartnerEventPublisher(configuration));
        }
        else
        {
            services.TryAddSingleton<IPartnerEventPublisher>(sp => new QueuePartnerEventPublisher(sp.GetRequiredService<StorageClients>(),
                sp.GetService<ILogger<QueuePartnerEventPublisher>>()));
        }

        // Chosen now, so a mistyped mode stops the app at start rather than at the first registration.
        var subscriptions = PartnerSubscriptionModes.Choose(configuration);
        services.TryAddSingleton<IPartnerEventSubscriptions>(sp => subscriptions switch
        {
            PartnerSubscriptionManagement.StorageQueue => new QueuePartnerEventSubscriptions(sp.GetRequiredService<StorageClients>()),
            PartnerSubscriptionManagement.Arm => ArmPartnerEventSubscriptions.Create(
                configuration.GetSetting(SettingNames.ServiceBusPartnerEventsTopicResourceId)
                    ?? throw new InvalidOperationException(
                        $"Setting {SettingNames.ServiceBusPartnerEventsTopicResourceId} is required with {SettingNames.PartnerSubscriptionManagement}=arm."),
                ServiceBusSettings.Credential(configuration), sp.GetService<ILogger<ArmPartnerEventSubscriptions>>()),
            PartnerSubscriptionManagement.DataPlane => new ServiceBusAdminPartnerEventSubscriptions(
                new ServiceBusAdministrationClient(ServiceBusSettings.Namespace(configuration), ServiceBusSettings.Credential(configuration)),
                ServiceBusSettings.Topic(configuration), sp.GetService<ILogger<ServiceBusAdminPartnerEventSubscriptions>>()),
            _ => new UnmanagedPartnerEventSubscriptions(sp.GetService<ILogger<UnmanagedPartnerEventSubscriptions>>()
                ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<UnmanagedPartnerEventSubscriptions>.Instance),
        });

        return services;
    }
}
