using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Consent;
using Ndhm.Core.Abdm;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Consent;

public static class ConsentServices
{
    /// <summary>The consent manager, its Cosmos store, the gateway notifier, the Health ID patient lookup and the nominee port.</summary>
    public static IServiceCollection AddConsent(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var abdm = AbdmSettings.From(configuration.GetSetting);
            return new ConsentOptions
            {
            RequestLifetimeHours = Positive(configuration.GetSetting(SettingNames.ConsentRequestLifetimeHours), 72),
            EmergencyLifetime = abdm.BreakTheGlassLifetime,
            CmId = abdm.CmId,
            AckTimeoutSeconds = Positive(configuration.GetSetting(SettingNames.ConsentAckTimeoutSeconds), 300),
            };
        });
        services.TryAddSingleton<IConsentStore, CosmosConsentStore>();
        services.TryAddSingleton<IConsentNotifier, GatewayConsentNotifier>();
        services.TryAddSingleton<IConsentPatients, HealthIdConsentPatients>();
        services.TryAddSingleton<INomineeAuthority, HealthIdConsentNominees>();
        services.TryAddSingleton<IConsentCareContexts, LinkedConsentCareContexts>();
        services.TryAddSingleton<ConsentSigner>();
        services.TryAddSingleton<ConsentAudit>();
        services.TryAddSingleton<ConsentManager>();
        services.TryAddSingleton<Ndhm.Consent.Subscriptions.ISubscriptionStore, CosmosSubscriptionStore>();
        services.TryAddSingleton<Ndhm.Consent.Subscriptions.ISubscriptionNotifier, GatewaySubscriptionNotifier>();
        services.TryAddSingleton<Ndhm.Consent.Subscriptions.SubscriptionManager>();
        services.TryAddSingleton<Ndhm.Consent.Subscriptions.ISubscriptionOutbox, CosmosSubscriptionOutbox>();
        services.TryAddSingleton<IConsentDependents, Ndhm.Consent.Subscriptions.SubscriptionConsentEndings>();
        services.TryAddSingleton<Ndhm.Linking.ICareContextDataNotices>(sp =>
            new SubscriptionDataEvents(sp.GetRequiredService<Ndhm.Consent.Subscriptions.SubscriptionManager>));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.Privacy.Export.IPatientDataExportSection, ConsentExportSection>());
        return services;
    }

    /// <summary>
    /// Wraps Linking's store so every save that adds care contexts tells the subscriptions in scope
    /// (<see cref="SubscriptionLinkEvents"/>). Linking is composed after Infrastructure (by the Triggers), so it calls
    /// this itself. A host composed without consent keeps the plain store; wrapping twice does nothing.
    /// </summary>
    public static void AddSubscriptionLinkEvents(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(Ndhm.Linking.ICareContextLinkStore));
        if (registered is null || registered.ImplementationFactory?.Target is LinkEventsMarker) return;
        services.Remove(registered);
        var marker = new LinkEventsMarker(sp =>
        {
            var inner = (Ndhm.Linking.ICareContextLinkStore)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!));
            return sp.GetService<ConsentOptions>() is null
                ? inner
                : new SubscriptionLinkEvents(inner, sp.GetRequiredService<Ndhm.Consent.Subscriptions.SubscriptionManager>, sp.GetRequiredService<TimeProvider>());
        });
        services.Add(new ServiceDescriptor(typeof(Ndhm.Linking.ICareContextLinkStore), marker.Create, registered.Lifetime));
    }

    private sealed class LinkEventsMarker(Func<IServiceProvider, object> create)
    {
        public object Create(IServiceProvider sp) => create(sp);
    }

    private static int Positive(string? value, int fallback) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var hours) && hours > 0
            ? hours
            : fallback;
}
