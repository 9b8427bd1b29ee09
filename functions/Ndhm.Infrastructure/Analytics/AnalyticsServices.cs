using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Analytics;

namespace Ndhm.Infrastructure.Analytics;

public static class AnalyticsServices
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var options = new AnalyticsOptions();
            configuration.GetSection(AnalyticsOptions.Section).Bind(options);
            return options;
        });
        services.TryAddSingleton(AnalyticsDefinitions.Default);
        services.TryAddSingleton<IAnalyticsFacts>(sp =>
        {
            IAnalyticsFacts outbox = ActivatorUtilities.CreateInstance<CosmosAnalyticsFacts>(sp);
            // A host composed without the registry (a tool) records facts without the facility type.
            if (sp.GetService<Ndhm.Registry.Facilities.IFacilityRegistry>() is { } registry)
                outbox = new FacilityTypedFacts(outbox, registry, sp.GetRequiredService<TimeProvider>());
            return new PersonCodedFacts(outbox, sp.GetRequiredService<IAnalyticsPersons>(), sp.GetRequiredService<AnalyticsPersonKeys>());
        });
        services.TryAddSingleton<IAnalyticsFactFeed, CosmosAnalyticsFactFeed>();
        services.TryAddSingleton<IAggregateSliceStore, CosmosAggregateSliceStore>();
        services.TryAddSingleton<AnalyticsIngestion>();
        services.TryAddSingleton<AnalyticsQueries>();
        services.TryAddSingleton<AnalyticsPersonKeys>();
        services.TryAddSingleton<IAnalyticsPersons, CosmosAnalyticsPersons>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Ndhm.Privacy.Export.IPatientErasureStep, AnalyticsPersonErasure>());
        Decorate<Ndhm.HealthId.Enrolment.IAbhaAccountStore>(services, (inner, sp) =>
            new EnrolmentFacts(inner, sp.GetRequiredService<IAnalyticsFacts>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<AnalyticsPersonKeys>(), sp.GetRequiredService<IAnalyticsPersons>()));
        Decorate<Ndhm.Consent.IConsentStore>(services, (inner, sp) => new ConsentFacts(inner, sp.GetRequiredService<IAnalyticsFacts>()));
        Decorate<Ndhm.DataTransfer.ITransferStore>(services, (inner, sp) => new TransferFacts(inner, sp.GetRequiredService<IAnalyticsFacts>()));
        Decorate<Ndhm.Telemedicine.IAppointmentStore>(services, (inner, sp) =>
            new ConsultationAnalyticsFacts(inner, sp.GetRequiredService<IAnalyticsFacts>()));
        Decorate<Ndhm.Pharmacy.IPrescriptionStore>(services, (inner, sp) => new PrescriptionFacts(inner, sp.GetRequiredService<IAnalyticsFacts>(),
            sp.GetRequiredService<Ndhm.Pharmacy.Catalogue.DrugCatalogue>()));
        Decorate<Ndhm.Pharmacy.IOrderStore>(services, (inner, sp) => new OrderFacts(inner, sp.GetRequiredService<IAnalyticsFacts>(),
            sp.GetRequiredService<Ndhm.Pharmacy.Catalogue.DrugCatalogue>()));
        return services;
    }

    /// <summary>Care-context links: Linking is composed after Infrastructure (by the Triggers), so it calls this itself.</summary>
    public static void AddLinkingFacts(IServiceCollection services) =>
        Decorate<Ndhm.Linking.ICareContextLinkStore>(services, (inner, sp) =>
            new LinkingFacts(inner, sp.GetRequiredService<IAnalyticsFacts>(), sp.GetRequiredService<AnalyticsPersonKeys>()));

    /// <summary>
    /// Wraps the capability's registered store (which stays the capability's) in its facts decorator: each source
    /// reports through its store port. Does nothing when the store is not registered or is already wrapped.
    /// </summary>
    private static void Decorate<TStore>(IServiceCollection services, Func<TStore, IServiceProvider, TStore> decorate)
        where TStore : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(TStore));
        if (registered is null || registered.ImplementationFactory?.Target is DecoratedMarker) return;
        services.Remove(registered);
        var marker = new DecoratedMarker(sp =>
        {
            var inner = (TStore)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!));
            // A host composed without analytics (a tool, a test host) keeps the plain store.
            return sp.GetService<IAnalyticsFacts>() is null ? inner : decorate(inner, sp);
        });
        services.Add(new ServiceDescriptor(typeof(TStore), marker.Create, registered.Lifetime));
    }

    private sealed class DecoratedMarker(Func<IServiceProvider, object> create)
    {
        public object Create(IServiceProvider sp) => create(sp);
    }
}
