using Ndhm.Analytics;
using Ndhm.Core.Concurrency;
using Ndhm.Telemedicine;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Reports each teleconsultation held, once, when the write that completes it happens: the specialty (as a code), the
/// mode and the facility (its public HFR id, for the small-facility rule). Cancelled, lapsed and no-show appointments
/// are not consultations held. The fact id is the appointment id, so later writes (notes, a retried finish) report
/// nothing new. Recorded before the write: a fact-store failure fails the step with nothing changed.
/// </summary>
public sealed class ConsultationAnalyticsFacts(IAppointmentStore inner, IAnalyticsFacts facts) : IAppointmentStore
{
    public const string Measure = "teleconsultations";

    public Task<string> CreateAsync(Appointment appointment, CancellationToken ct) => inner.CreateAsync(appointment, ct);

    public Task<Versioned<Appointment>?> FindAsync(string appointmentId, CancellationToken ct) => inner.FindAsync(appointmentId, ct);

    public async Task<string> ReplaceAsync(Appointment appointment, string ifMatch, CancellationToken ct)
    {
        if (FactOf(appointment) is { } fact) await facts.RecordAsync(fact, ct);
        return await inner.ReplaceAsync(appointment, ifMatch, ct);
    }

    /// <summary>The completed consultation's fact; null for any other state.</summary>
    public static AnalyticsFact? FactOf(Appointment appointment)
    {
        if (appointment.Status != AppointmentStatus.Completed || appointment.EndedAt is not { } ended) return null;
        return new AnalyticsFact(AnalyticsFactIds.For(Measure, appointment.Id), Measure, FactCodes.Day(ended),
            FactCodes.Dimensions(("specialty", FactCodes.Slug(appointment.Specialty)), ("mode", ConsultationModes.Name(appointment.Mode))),
            FacilityId: appointment.FacilityId, Patient: appointment.PatientNumber);
    }

    public Task<IReadOnlyList<Appointment>> ListForDoctorAsync(string hprId, DateTimeOffset from, int take, CancellationToken ct) =>
        inner.ListForDoctorAsync(hprId, from, take, ct);

    public Task<IReadOnlyList<Appointment>> ListForPatientAsync(string patientNumber, int take, CancellationToken ct) =>
        inner.ListForPatientAsync(patientNumber, take, ct);

    public Task<IReadOnlyList<string>> ListDueRemindersAsync(DateTimeOffset now, int take, CancellationToken ct) =>
        inner.ListDueRemindersAsync(now, take, ct);

    public Task<IReadOnlyList<string>> ListUnstartedAsync(DateTimeOffset startedBy, int take, CancellationToken ct) =>
        inner.ListUnstartedAsync(startedBy, take, ct);
}
