using Ndhm.Pharmacy.Catalogue;

namespace Ndhm.Pharmacy.Prescriptions;

/// <summary>What the doctor asks for, as sent (validated by <see cref="PrescriptionValidation"/>).</summary>
public sealed record PrescriptionInput(string? ConditionCode, string? ConditionText, IReadOnlyList<PrescriptionItemInput>? Items, string? Notes);

/// <param name="Dosage">Free text, e.g. <c>1 tablet</c>.</param>
/// <param name="FrequencyPerDay">Doses a day (1-24).</param>
/// <param name="DurationDays">Days of treatment (1-365).</param>
/// <param name="Quantity">Units to dispense in total (1-1000).</param>
public sealed record PrescriptionItemInput(
    string? DrugCode,
    string? Dosage,
    int? FrequencyPerDay,
    int? DurationDays,
    int? Quantity,
    bool? SubstitutionAllowed,
    string? Instructions);

/// <summary>One prescribed drug; <see cref="Line"/> numbers items from 1 in the order the doctor gave them.</summary>
public sealed record PrescribedItem(
    int Line,
    string DrugCode,
    string DrugName,
    string Composition,
    string Strength,
    string Form,
    DrugSchedule Schedule,
    TpgList List,
    string Dosage,
    int FrequencyPerDay,
    int DurationDays,
    int Quantity,
    bool SubstitutionAllowed,
    string? Instructions);

/// <summary>
/// An issued e-prescription. <see cref="SignedBundle"/> is the FHIR PrescriptionRecord document with its
/// Bundle.signature (JWS naming the doctor's HPR id): what a pharmacy verifies offline. Stored encrypted under the
/// patient's data key.
/// </summary>
public sealed record Prescription(
    string Id,
    string ConsultationId,
    string DoctorHprId,
    string DoctorName,
    string PatientNumber,
    string FacilityId,
    string? ConditionCode,
    string? ConditionText,
    DateTimeOffset IssuedAt,
    DateTimeOffset ValidUntil,
    IReadOnlyList<PrescribedItem> Items,
    string? Notes,
    string SignedBundle)
{
    public bool IsValidAt(DateTimeOffset now) => now < ValidUntil;

    public PrescribedItem? Item(int line) => Items.FirstOrDefault(i => i.Line == line);
}
