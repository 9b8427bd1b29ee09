using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Telemedicine;

public static class TelemedicineServices
{
    /// <summary>Availability, booking (the patient's and a partner app's) and consultation services, their Cosmos stores and the payment, token, record and reminder adapters.</summary>
    public static IServiceCollection AddTelemedicine(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ =>
        {
            var options = new TelemedicineOptions();
            configuration.GetSection("Telemedicine").Bind(options);
            return options;
        });
        services.TryAddSingleton<ISlotStore, CosmosSlotStore>();
        services.TryAddSingleton<IAppointmentStore, CosmosAppointmentStore>();
        services.TryAddSingleton<IConsultationRecords, CosmosConsultationRecords>();
        services.TryAddSingleton<ITeleconsultationPayments, CosmosPaymentLedger>();
        services.TryAddSingleton<IJoinTokens, JwtJoinTokens>();
        services.TryAddSingleton<IAppointmentReminders, CosmosReminderOutbox>();
        services.TryAddSingleton<IConsultationSignals, CosmosConsultationSignals>();
        services.TryAddSingleton<ITelemedicinePatients, HealthIdTelemedicinePatients>();
        services.TryAddSingleton<IPatientDelegations, PartnerAuthPatientDelegations>();
        services.TryAddSingleton<TelemedicineAudit>();
        services.TryAddSingleton<AvailabilityService>();
        services.TryAddSingleton<BookingService>();
        services.TryAddSingleton<PartnerBookingService>();
        services.TryAddSingleton<ConsultationService>();
        services.TryAddSingleton<ConsultationSignalling>();
        return services;
    }
}
