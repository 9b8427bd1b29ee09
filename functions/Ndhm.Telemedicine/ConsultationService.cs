using System.Globalization;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Records;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Telemedicine;

/// <summary>
/// The consultation itself: the doctor's view of their appointments, start and end (only a verified, active doctor,
/// checked at the time of the act), join tokens for the call (signalling: <see cref="ConsultationSignalling"/>), no-shows and the doctor's
/// cancellation (refunds by <see cref="CancellationPolicy"/>), reminders, and the facts other capabilities decide by.
/// A doctor sees only their appointments and a patient only theirs: anyone else's id answers 404.
/// </summary>
public sealed class ConsultationService(
    ISlotStore slots,
    IAppointmentStore appointments,
    IProfessionalRegistry professionals,
    IFacilityRegistry facilities,
    ITeleconsultationPayments payments,
    IJoinTokens joinTokens,
    IConsultationRecords records,
    ITelemedicinePatients patients,
    IAppointmentReminders reminders,
    TelemedicineAudit audit,
    TelemedicineOptions options,
    TimeProvider time,
    IProviderRecords providerRecords)
{
    public const string JoinAudiencePrefix = "consultation:";

    public async Task<IReadOnlyList<Appointment>> ListForDoctorAsync(string doctorHprId, DateTimeOffset? from, CancellationToken ct)
    {
        var list = await appointments.ListForDoctorAsync(doctorHprId, from ?? time.GetUtcNow().AddDays(-1), 200, ct);
        foreach (var appointment in list) await audit.RecordAsync(appointment, "telemedicine.appointment.list", doctorHprId, "DOCTOR", null, ct);
        return list;
    }

    public async Task<Appointment> GetAsync(Participant who, string? appointmentId, CancellationToken ct)
    {
        var appointment = (await FindOwnAsync(who, appointmentId, ct)).Value;
        await audit.RecordAsync(appointment, "telemedicine.appointment.read", who.Subject, who.Kind, null, ct);
        return appointment;
    }

    public Task<Appointment> StartAsync(string doctorHprId, string? appointmentId, CancellationToken ct) =>
        ChangeAsync(Participant.Doctor(doctorHprId), appointmentId, "telemedicine.consultation.start", async (appointment, now) =>
        {
            if (appointment.Status == AppointmentStatus.InProgress) return null;
            if (appointment.Status == AppointmentStatus.Confirmed)
            {
                if (now < appointment.Start.AddMinutes(-options.EarlyStartMinutes))
                    throw Window(TelemedicineErrors.TooEarly, appointment, $"it can start from {options.EarlyStartMinutes} minutes before {appointment.Start:u}");
                if (now >= appointment.End)
                    throw Window(TelemedicineErrors.TooLate, appointment, $"its time ended at {appointment.End:u}");
            }

            await professionals.EnsureVerifiedPractitionerAsync(HprId.Parse(doctorHprId), ct);
            return appointment.Begin(now);
        }, ct);

    /// <summary>
    /// Ends the consultation; with notes, the OPConsultRecord is stored and then added to the patient's health record and
    /// linked as a care context (<c>TC-&lt;consultation id&gt;</c>) of the doctor's facility. A retried end (already
    /// completed) adds it again idempotently, so a crash between the two steps is completed by the retry.
    /// </summary>
    public async Task<Appointment> EndAsync(string doctorHprId, string? appointmentId, EndInput notes, CancellationToken ct)
    {
        Validate(notes);
        var ended = await FinishAsync(doctorHprId, appointmentId, notes, ct);
        if (ended.Status == AppointmentStatus.Completed && ended.NotesRecordId is { } recordId
                                                        && await records.ReadAsync(ended.PatientNumber, recordId, ct) is { } bundle)
        {
            await providerRecords.AddAsync(new ProviderRecord(ended.PatientNumber, ended.FacilityId, CareContextReference(ended.Id),
                string.Create(CultureInfo.InvariantCulture, $"Teleconsultation with {ended.DoctorName}, {ended.StartedAt ?? ended.Start:d MMM yyyy}"),
                "OPConsultation", bundle,
                ended.EndedAt ?? time.GetUtcNow(), LinkAsCareContext: true, Author: doctorHprId), ct);
        }

        return ended;
    }

    /// <summary>The care context a consultation's record is linked under at the doctor's facility.</summary>
    public static string CareContextReference(string consultationId) => "TC-" + consultationId;

    private Task<Appointment> FinishAsync(string doctorHprId, string? appointmentId, EndInput notes, CancellationToken ct) =>
        ChangeAsync(Participant.Doctor(doctorHprId), appointmentId, "telemedicine.consultation.end", async (appointment, now) =>
        {
            if (appointment.Status == AppointmentStatus.Completed) return null;
            if (appointment.Status != AppointmentStatus.InProgress)
                throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status, "only a consultation in progress can end");
            string? recordId = null;
            if (ConsultationRecord.HasNotes(notes))
            {
                var name = await patients.DisplayNameAsync(appointment.PatientNumber, ct) ?? "ABHA " + appointment.PatientNumber;
                var facility = await facilities.FindAsync(FacilityId.Parse(appointment.FacilityId), ct);
                var bundle = ConsultationRecord.Build(appointment, notes, name, facility?.Name ?? appointment.FacilityId, now);
                recordId = await records.SaveAsync(appointment.PatientNumber, appointment.Id, bundle, ct);
            }

            return appointment.Finish(now, notes.ConditionCode?.Trim(), recordId);
        }, ct);

    /// <summary>The doctor cancels a booked consultation before its start: the patient gets the whole fee back.</summary>
    public Task<Appointment> CancelByDoctorAsync(string doctorHprId, string? appointmentId, string? reason, CancellationToken ct)
    {
        var why = BookingService.Reason(reason);
        return ChangeAsync(Participant.Doctor(doctorHprId), appointmentId, "telemedicine.appointment.cancel", async (appointment, now) =>
        {
            if (appointment.Status == AppointmentStatus.Cancelled) return null;
            if (appointment.Status == AppointmentStatus.Confirmed && now >= appointment.End)
                throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status, "its time is over: record a no-show instead");
            if (appointment.Status is not (AppointmentStatus.Initiated or AppointmentStatus.Confirmed))
                throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status, "only an initiated or confirmed appointment can be cancelled");
            var refund = await BookingService.RefundAsync(payments, appointment, RefundCause.DoctorCancelled, options, now, ct);
            return appointment.Cancel("doctor", why, refund, now);
        }, ct, releaseSlot: true);
    }

    /// <summary>
    /// A participant records that the other did not appear: the patient, once the doctor has not started
    /// <c>DoctorNoShowGraceMinutes</c> after the start (full refund); the doctor, <c>PatientNoShowGraceMinutes</c> after
    /// the start (refund by policy).
    /// </summary>
    public Task<Appointment> RecordNoShowAsync(Participant who, string? appointmentId, CancellationToken ct) =>
        ChangeAsync(who, appointmentId, "telemedicine.consultation.no-show", async (appointment, now) =>
        {
            var which = who.IsDoctor ? AppointmentStatus.PatientNoShow : AppointmentStatus.DoctorNoShow;
            if (appointment.Status == which) return null;
            var grace = who.IsDoctor ? options.PatientNoShowGraceMinutes : options.DoctorNoShowGraceMinutes;
            if (appointment.Status is AppointmentStatus.Confirmed or AppointmentStatus.InProgress && now < appointment.Start.AddMinutes(grace))
                throw Window(TelemedicineErrors.TooEarly, appointment, $"a no-show is recorded from {grace} minutes after {appointment.Start:u}");
            var refund = await BookingService.RefundAsync(payments, appointment,
                who.IsDoctor ? RefundCause.PatientNoShow : RefundCause.DoctorNoShow, options, now, ct);
            return appointment.NoShow(which, who.IsDoctor ? "doctor" : "patient", refund, now);
        }, ct);

    /// <summary>A short-lived token for the call's signalling, audience <c>consultation:&lt;id&gt;</c>, for the consultation's doctor or patient.</summary>
    public async Task<JoinToken> JoinTokenAsync(Participant who, string? appointmentId, CancellationToken ct)
    {
        var appointment = (await FindOwnAsync(who, appointmentId, ct)).Value;
        var now = time.GetUtcNow();
        if (!IsOpenToJoin(appointment, now, options))
        {
            if (appointment.Status == AppointmentStatus.Confirmed && now < appointment.Start)
                throw Window(TelemedicineErrors.TooEarly, appointment, $"participants join from {options.EarlyStartMinutes} minutes before {appointment.Start:u}");
            throw TelemedicineErrors.WrongState(appointment.Id, appointment.Status, "participants join a confirmed consultation at its time, or one in progress");
        }

        if (who.IsDoctor) await professionals.EnsureVerifiedPractitionerAsync(HprId.Parse(who.Subject), ct);
        var token = await joinTokens.IssueAsync(appointment.Id, who.Subject, who.Kind, TimeSpan.FromMinutes(options.JoinTokenMinutes), ct);
        await audit.RecordAsync(appointment, "telemedicine.consultation.join", who.Subject, who.Kind, "join token issued", ct);
        return token;
    }

    /// <summary>Participants may join (and signal) a consultation in progress, or a confirmed one from <c>EarlyStartMinutes</c> before its start to its end.</summary>
    public static bool IsOpenToJoin(Appointment appointment, DateTimeOffset now, TelemedicineOptions options) =>
        appointment.Status == AppointmentStatus.InProgress
        || (appointment.Status == AppointmentStatus.Confirmed && now >= appointment.Start.AddMinutes(-options.EarlyStartMinutes) && now < appointment.End);

    /// <summary>
    /// Sends the reminders due now. What is due is asked of the store each time (nothing is scheduled in memory), so a
    /// host that was down catches up, a cancelled appointment (no longer CONFIRMED) gets none, and the port's
    /// per-appointment idempotency makes a retry after a crash harmless. Answers how many were sent.
    /// </summary>
    public async Task<int> SendDueRemindersAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sent = 0;
        foreach (var id in await appointments.ListDueRemindersAsync(now, 100, ct))
        {
            var found = await appointments.FindAsync(id, ct);
            if (found is not { Value: var appointment } || appointment.Status != AppointmentStatus.Confirmed
                                                        || appointment.ReminderSentAt is not null || appointment.ReminderDueAt > now) continue;
            await reminders.SendAsync(appointment, ct);
            try
            {
                await appointments.ReplaceAsync(appointment.ReminderSent(now), found.ETag, ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate)
            {
                continue; // changed meanwhile (cancelled?): the next pass decides again; the port does not send twice
            }

            await audit.RecordAsync(appointment, "telemedicine.reminder.sent", "system:telemedicine-reminders", "SYSTEM", "reminder sent", ct);
            sent++;
        }

        return sent;
    }

    /// <summary>The audit actor of the no-show sweep.</summary>
    public const string NoShowSweepActor = "system:telemedicine-no-show-sweep";

    /// <summary>
    /// The automatic no-show sweep: every confirmed consultation the doctor has not started
    /// <see cref="TelemedicineOptions.NoShowSweepGraceMinutes"/> (at least <c>DoctorNoShowGraceMinutes</c>) after its start
    /// becomes <c>DOCTOR_NO_SHOW</c> with the refund the cancellation policy gives for it (the whole fee), exactly as if
    /// the patient had recorded it. What is due is asked of the store each time; an appointment that changed meanwhile
    /// (started, cancelled, recorded by a participant) is left to the next pass, which decides again; the payment port
    /// is idempotent per appointment, so a pass that died between the refund and the write refunds nothing twice.
    /// Answers how many were marked.
    /// </summary>
    public async Task<int> SweepNoShowsAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var grace = TimeSpan.FromMinutes(Math.Max(options.NoShowSweepGraceMinutes, options.DoctorNoShowGraceMinutes));
        var marked = 0;
        foreach (var id in await appointments.ListUnstartedAsync(now - grace, 100, ct))
        {
            var found = await appointments.FindAsync(id, ct);
            if (found is not { Value: var appointment } || appointment.Status != AppointmentStatus.Confirmed || now < appointment.Start + grace) continue;
            var refund = await BookingService.RefundAsync(payments, appointment, RefundCause.DoctorNoShow, options, now, ct);
            var missed = appointment.NoShow(AppointmentStatus.DoctorNoShow, "system", refund, now);
            try
            {
                await appointments.ReplaceAsync(missed, found.ETag, ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate)
            {
                continue;
            }

            await audit.RecordAsync(missed, "telemedicine.consultation.no-show", NoShowSweepActor, "SYSTEM",
                "not started " + grace.TotalMinutes + " minutes after the start; " + BookingService.RefundOutcome(missed), ct);
            marked++;
        }

        return marked;
    }

    /// <summary>The facts e-prescribing decides by, or null when there is no such consultation. Not audited as a read of
    /// the patient's record: it reveals identifiers and times only, to the platform's own capabilities.</summary>
    public async Task<TeleconsultationFacts?> GetConsultationFactsAsync(string consultationId, CancellationToken ct)
    {
        if (!Guid.TryParse(consultationId, out var id) || await appointments.FindAsync(id.ToString(), ct) is not { Value: var a }) return null;
        return new TeleconsultationFacts(a.Id, a.DoctorHprId, a.PatientNumber, a.Mode, a.IsFollowUp, a.ConditionCode, a.FacilityId, a.Status,
            a.StartedAt, a.EndedAt);
    }

    /// <summary>The OPConsultRecord bundle of an ended consultation, for its patient or doctor.</summary>
    public async Task<string> ReadRecordAsync(Participant who, string? appointmentId, CancellationToken ct)
    {
        var appointment = (await FindOwnAsync(who, appointmentId, ct)).Value;
        var bundle = appointment.NotesRecordId is { } recordId ? await records.ReadAsync(appointment.PatientNumber, recordId, ct) : null;
        if (bundle is null)
            throw new DomainException(ErrorKind.NotFound, "CONSULTATION_RECORD_NOT_FOUND", "The consultation has no record.",
                "A record exists once the doctor ends the consultation with notes.");
        await audit.RecordAsync(appointment, "telemedicine.record.read", who.Subject, who.Kind, "OPConsultRecord read", ct);
        return bundle;
    }

    private async Task<Appointment> ChangeAsync(Participant who, string? appointmentId, string action,
        Func<Appointment, DateTimeOffset, Task<Appointment?>> change, CancellationToken ct, bool releaseSlot = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var found = await FindOwnAsync(who, appointmentId, ct);
            var now = time.GetUtcNow();
            // null: already in the wanted state (a retried request); answer it as it is.
            var changed = await change(found.Value, now);
            if (changed is null)
            {
                if (releaseSlot) await BookingService.ReleaseHoldAsync(slots, found.Value, ct);
                return found.Value;
            }

            try
            {
                await appointments.ReplaceAsync(changed, found.ETag, ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt < 3)
            {
                continue;
            }

            if (releaseSlot) await BookingService.ReleaseHoldAsync(slots, changed, ct);
            await audit.RecordAsync(changed, action, who.Subject, who.Kind, BookingService.RefundOutcome(changed), ct);
            return changed;
        }
    }

    private async Task<Versioned<Appointment>> FindOwnAsync(Participant who, string? appointmentId, CancellationToken ct) =>
        Guid.TryParse(appointmentId, out var id) && await appointments.FindAsync(id.ToString(), ct) is { } found
                                                 && (who.IsDoctor ? found.Value.DoctorHprId : found.Value.PatientNumber) == who.Subject
            ? found
            : throw TelemedicineErrors.NotFound();

    private static DomainException Window(string code, Appointment appointment, string detail) =>
        new(ErrorKind.Conflict, code, "Not at this time.", $"Appointment {appointment.Id}: {detail}.",
            new Dictionary<string, object?> { ["appointmentId"] = appointment.Id, ["state"] = AppointmentStatuses.Name(appointment.Status) });

    private static void Validate(EndInput notes)
    {
        foreach (var (value, field) in new[] { (notes.ChiefComplaint, "chiefComplaint"), (notes.Diagnosis, "diagnosis"), (notes.Advice, "advice") })
            if (value is { Length: > 2000 })
                throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidNotes, $"{field} is at most 2000 characters.", field);
        if (notes.ConditionCode is { } code && (code.Trim().Length is < 6 or > 18 || !code.Trim().All(char.IsAsciiDigit)))
            throw TelemedicineErrors.Invalid(TelemedicineErrors.InvalidNotes, "conditionCode is a SNOMED CT concept id (6-18 digits).", "conditionCode");
    }
}
