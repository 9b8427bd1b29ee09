using Ndhm.Core.Concurrency;

namespace Ndhm.Telemedicine;

/// <summary>Published slots (Cosmos <c>telemedicine</c> container). A slot is public availability, not personal data.</summary>
public interface ISlotStore
{
    /// <summary>Create-only: the ETag, or null when a slot with this id exists.</summary>
    Task<string?> TryCreateAsync(Slot slot, CancellationToken ct);

    Task<Versioned<Slot>?> FindAsync(string slotId, CancellationToken ct);

    /// <summary>Replaces the slot if its ETag is still <paramref name="ifMatch"/>: the new ETag, or null when it changed or vanished.</summary>
    Task<string?> TryReplaceAsync(Slot slot, string ifMatch, CancellationToken ct);

    /// <summary>The doctor's slots (withdrawn ones too) starting in [from, until), by start.</summary>
    Task<IReadOnlyList<Slot>> ListForDoctorAsync(string hprId, DateTimeOffset from, DateTimeOffset until, int take, CancellationToken ct);

    /// <summary>
    /// Slots not withdrawn and not held at <paramref name="now"/> matching the query, by start. The service checks the
    /// hold again, so a store may return a slot held a moment ago.
    /// </summary>
    Task<IReadOnlyList<Slot>> SearchAsync(SlotQuery query, DateTimeOffset now, int take, CancellationToken ct);
}

/// <summary>Appointments (Cosmos <c>telemedicine</c>; the record encrypted with the patient's data key).</summary>
public interface IAppointmentStore
{
    /// <summary>Create-only; the ETag.</summary>
    Task<string> CreateAsync(Appointment appointment, CancellationToken ct);

    Task<Versioned<Appointment>?> FindAsync(string appointmentId, CancellationToken ct);

    /// <summary>If-Match replace: the new ETag, or DomainException PreconditionFailed <c>CONCURRENT_UPDATE</c>.</summary>
    Task<string> ReplaceAsync(Appointment appointment, string ifMatch, CancellationToken ct);

    /// <summary>The doctor's appointments, soonest first, from <paramref name="from"/>.</summary>
    Task<IReadOnlyList<Appointment>> ListForDoctorAsync(string hprId, DateTimeOffset from, int take, CancellationToken ct);

    /// <summary>The patient's appointments, newest first.</summary>
    Task<IReadOnlyList<Appointment>> ListForPatientAsync(string patientNumber, int take, CancellationToken ct);

    /// <summary>Ids of confirmed appointments whose reminder is due at <paramref name="now"/> and not sent.</summary>
    Task<IReadOnlyList<string>> ListDueRemindersAsync(DateTimeOffset now, int take, CancellationToken ct);

    /// <summary>Ids of confirmed (never started) appointments whose start is at or before <paramref name="startedBy"/>, soonest first.</summary>
    Task<IReadOnlyList<string>> ListUnstartedAsync(DateTimeOffset startedBy, int take, CancellationToken ct);
}

/// <summary>
/// The payment service (external): the platform records amounts, never card or account details. Both calls are
/// idempotent per appointment: calling again with the same appointment records nothing new.
/// </summary>
public interface ITeleconsultationPayments
{
    /// <summary>Records the fee paid under the payment service's <paramref name="paymentReference"/>.</summary>
    Task RecordPaymentAsync(string appointmentId, long amountPaise, string paymentReference, CancellationToken ct);

    /// <summary>Asks for a refund of <paramref name="amountPaise"/>; the refund's reference.</summary>
    Task<string> RefundAsync(string appointmentId, long amountPaise, string rule, CancellationToken ct);
}

/// <summary>Short-lived tokens a participant presents to the call's signalling, audience per consultation.</summary>
public interface IJoinTokens
{
    Task<JoinToken> IssueAsync(string consultationId, string participant, string participantRole, TimeSpan lifetime, CancellationToken ct);

    /// <summary>
    /// The participant a valid, unexpired join token for <paramref name="consultationId"/> was issued to; DomainException
    /// Unauthenticated <c>INVALID_TOKEN</c> for anything else (forged, expired, another consultation's, a platform API token).
    /// </summary>
    Task<Participant> VerifyAsync(string token, string consultationId, CancellationToken ct);
}

/// <summary>A consultation's call signals (Cosmos <c>telemedicine</c>, one partition per consultation, each expiring on its own).</summary>
public interface IConsultationSignals
{
    /// <summary>
    /// Stores <paramref name="signal"/> under the consultation's next sequence number (1, 2, ... without gaps, also when two
    /// post at once); null, storing nothing, when the consultation already holds <paramref name="max"/> signals.
    /// </summary>
    Task<Signal?> AppendAsync(Signal signal, int max, CancellationToken ct);

    /// <summary>The consultation's signals (both participants') numbered after <paramref name="after"/>, by number, at most <paramref name="take"/>.</summary>
    Task<IReadOnlyList<Signal>> ListAfterAsync(string consultationId, long after, int take, CancellationToken ct);
}

public sealed record JoinToken(string Token, string Audience, DateTimeOffset ExpiresAt);

/// <summary>The patient's clinical records of consultations (FHIR bundles, encrypted with the patient's data key).</summary>
public interface IConsultationRecords
{
    /// <summary>Stores the bundle (overwriting one of the same id: ending is retried safely); its record id.</summary>
    Task<string> SaveAsync(string patientNumber, string appointmentId, string bundleJson, CancellationToken ct);

    Task<string?> ReadAsync(string patientNumber, string recordId, CancellationToken ct);
}

/// <summary>Sends the appointment reminder (SMS / app notification). Idempotent per appointment.</summary>
public interface IAppointmentReminders
{
    Task SendAsync(Appointment appointment, CancellationToken ct);
}

/// <summary>The patient's name for their clinical documents (Health ID); null when no live account has the number.</summary>
public interface ITelemedicinePatients
{
    Task<string?> DisplayNameAsync(string patientNumber, CancellationToken ct);
}

/// <summary>
/// Proof that a partner app acts for a patient: the patient's own authentication of that partner (Health ID's
/// <c>users/auth</c> access token, issued when the patient approved a DIRECT request or confirmed an OTP or their
/// demographics to it).
/// </summary>
public interface IPatientDelegations
{
    /// <summary>
    /// The ABHA number (14 digits) of the patient <paramref name="accessToken"/> was issued for, when it is a valid,
    /// unexpired access token issued to <paramref name="partnerId"/>; null for anything else (forged, expired, another
    /// partner's, a KYC-only transaction's, not a token at all).
    /// </summary>
    Task<string?> PatientForAsync(string partnerId, string accessToken, CancellationToken ct);
}
