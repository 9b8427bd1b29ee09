namespace Ndhm.Telemedicine;

/// <summary>
/// One booked teleconsultation, from the patient's <c>init</c> to its end. The consultation id is the appointment id.
/// Stored encrypted with the patient's data key (it names the patient and, once ended, carries clinical facts);
/// every state change is an If-Match replace, and the transitions are the methods below, so an illegal one is never
/// written.
/// </summary>
public sealed record Appointment
{
    public required string Id { get; init; }
    public required string SlotId { get; init; }
    public required string DoctorHprId { get; init; }
    public required string DoctorName { get; init; }
    public required string FacilityId { get; init; }
    /// <summary>The patient's ABHA number (14 digits).</summary>
    public required string PatientNumber { get; init; }
    public required ConsultationMode Mode { get; init; }
    public required string Specialty { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required int DurationMinutes { get; init; }
    public required long FeePaise { get; init; }
    public required AppointmentStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset HoldExpiresAt { get; init; }
    /// <summary>The patient's earlier appointment with the same doctor this one follows up (checked at init).</summary>
    public string? FollowUpOf { get; init; }
    /// <summary>The condition treated (a code, e.g. SNOMED CT), set by the doctor at the end or inherited by a follow-up.</summary>
    public string? ConditionCode { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public string? PaymentReference { get; init; }
    public TeleconsultationConsent? Consent { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? CancelledBy { get; init; }
    public string? CancellationReason { get; init; }
    public Refund? Refund { get; init; }
    public DateTimeOffset? ReminderDueAt { get; init; }
    public DateTimeOffset? ReminderSentAt { get; init; }
    /// <summary>Where the OPConsultRecord bundle of the doctor's notes is kept (encrypted for the patient).</summary>
    public string? NotesRecordId { get; init; }

    public DateTimeOffset End => Start.AddMinutes(DurationMinutes);

    public bool IsFollowUp => FollowUpOf is not null;

    public bool IsFinal => Status is AppointmentStatus.Completed or AppointmentStatus.Cancelled or AppointmentStatus.Expired
        or AppointmentStatus.PatientNoShow or AppointmentStatus.DoctorNoShow;

    public Appointment Confirm(string paymentReference, TeleconsultationConsent consent, DateTimeOffset now, TimeSpan reminderLead)
    {
        Require(AppointmentStatus.Initiated, "only an initiated appointment can be confirmed");
        var reminder = Start - reminderLead;
        return this with
        {
            Status = AppointmentStatus.Confirmed,
            ConfirmedAt = now,
            PaymentReference = paymentReference,
            Consent = consent,
            // A booking made inside the reminder window gets its reminder at once.
            ReminderDueAt = reminder > now ? reminder : now,
        };
    }

    public Appointment Begin(DateTimeOffset now)
    {
        Require(AppointmentStatus.Confirmed, "only a confirmed appointment can start");
        return this with { Status = AppointmentStatus.InProgress, StartedAt = now };
    }

    public Appointment Finish(DateTimeOffset now, string? conditionCode, string? notesRecordId)
    {
        Require(AppointmentStatus.InProgress, "only a consultation in progress can end");
        return this with
        {
            Status = AppointmentStatus.Completed,
            EndedAt = now,
            ConditionCode = conditionCode ?? ConditionCode,
            NotesRecordId = notesRecordId,
        };
    }

    public Appointment Cancel(string by, string? reason, Refund? refund, DateTimeOffset now)
    {
        if (Status is not (AppointmentStatus.Initiated or AppointmentStatus.Confirmed))
            throw TelemedicineErrors.WrongState(Id, Status, "only an initiated or confirmed appointment can be cancelled");
        return this with { Status = AppointmentStatus.Cancelled, CancelledAt = now, CancelledBy = by, CancellationReason = reason, Refund = refund };
    }

    public Appointment NoShow(AppointmentStatus which, string by, Refund? refund, DateTimeOffset now)
    {
        var allowed = which == AppointmentStatus.DoctorNoShow
            ? Status == AppointmentStatus.Confirmed
            : Status is AppointmentStatus.Confirmed or AppointmentStatus.InProgress;
        if (!allowed) throw TelemedicineErrors.WrongState(Id, Status, "a no-show is recorded only before the consultation ends");
        return this with { Status = which, CancelledAt = now, CancelledBy = by, Refund = refund, EndedAt = now };
    }

    public Appointment Lapse()
    {
        Require(AppointmentStatus.Initiated, "only an initiated appointment lapses");
        return this with { Status = AppointmentStatus.Expired };
    }

    public Appointment ReminderSent(DateTimeOffset now) => this with { ReminderSentAt = now };

    private void Require(AppointmentStatus expected, string wanted)
    {
        if (Status != expected) throw TelemedicineErrors.WrongState(Id, Status, wanted);
    }
}

/// <summary>
/// The patient's consent to be consulted remotely, recorded as the Telemedicine Practice Guidelines 2020 ask
/// (section 3.5: explicit consent where the doctor initiates; recorded here for every booking).
/// </summary>
public sealed record TeleconsultationConsent(DateTimeOffset GivenAt, ConsultationMode Mode, string Statement);

/// <summary>A refund recorded against the payment (amounts only; the payment port moves the money).</summary>
public sealed record Refund(long AmountPaise, string Rule, DateTimeOffset At, string? Reference);
