namespace Ndhm.Pharmacy.Consultations;

public enum ConsultationMode
{
    Video,
    Audio,
    Chat,
}

public enum ConsultationStatus
{
    Scheduled,
    InProgress,
    Ended,
    Cancelled,
}

/// <summary>
/// What prescribing needs to know about a teleconsultation. The telemedicine capability owns consultations; this
/// capability sees them only through <see cref="IConsultationFacts"/>.
/// </summary>
/// <param name="PatientId">The patient's ABHA number (14 digits).</param>
/// <param name="ConditionCode">The condition the consultation is for (a follow-up's condition is its first consultation's).</param>
public sealed record ConsultationFacts(
    string ConsultationId,
    string DoctorHprId,
    string PatientId,
    ConsultationMode Mode,
    bool IsFollowUp,
    string? ConditionCode,
    string FacilityId,
    ConsultationStatus Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>A prescription is issued during the consultation or after it ended, never before it started or once cancelled.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AllowsPrescribing => Status is ConsultationStatus.InProgress or ConsultationStatus.Ended;
}

/// <summary>Consultation facts by id (null when there is no such consultation).</summary>
public interface IConsultationFacts
{
    Task<ConsultationFacts?> FindAsync(string consultationId, CancellationToken ct);
}

/// <summary>SANDBOX ONLY: seeds consultation facts (registered only when <c>Pharmacy__SandboxConsultationFacts</c> is true).</summary>
public interface ISandboxConsultationSeed
{
    /// <summary>False when a consultation with this id was seeded already.</summary>
    Task<bool> SeedAsync(ConsultationFacts facts, CancellationToken ct);
}
