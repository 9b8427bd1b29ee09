namespace Ndhm.Telemedicine;

/// <summary>Who acts on a consultation: its doctor (HPR id from the token) or its patient (ABHA number from the token).</summary>
public sealed record Participant(string Subject, bool IsDoctor)
{
    public static Participant Doctor(string hprId) => new(hprId, true);

    public static Participant Patient(string abhaNumber) => new(abhaNumber, false);

    public string Kind => IsDoctor ? "DOCTOR" : "PATIENT";
}

/// <summary>
/// The doctor's notes at the end of a consultation; any of them makes an OPConsultRecord for the patient.
/// <paramref name="ConditionCode"/> is a SNOMED CT concept id for the condition treated (what makes a later booking
/// with this doctor a follow-up for the same condition).
/// </summary>
public sealed record EndInput(string? ChiefComplaint = null, string? Diagnosis = null, string? ConditionCode = null, string? Advice = null);

/// <summary>
/// The facts about a consultation other capabilities (e-prescriptions) decide by: which doctor, which patient, how it
/// was held, whether it follows up an earlier one for the same condition, and when it ran.
/// </summary>
public sealed record TeleconsultationFacts(
    string ConsultationId,
    string DoctorHprId,
    string PatientId,
    ConsultationMode Mode,
    bool IsFollowUp,
    string? ConditionCode,
    string FacilityId,
    AppointmentStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt);
