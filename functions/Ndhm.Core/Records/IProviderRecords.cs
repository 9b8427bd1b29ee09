namespace Ndhm.Core.Records;

/// <summary>
/// A clinical document a care provider writes on the platform (a teleconsultation's OPConsultRecord, an
/// e-prescription's PrescriptionRecord, a pharmacy's MedicationDispense), for the patient's own health record.
/// </summary>
/// <param name="PatientNumber">The patient's ABHA number, 14 digits.</param>
/// <param name="FacilityId">The facility it comes from (the doctor's, or the pharmacy): the HIP it is filed under.</param>
/// <param name="CareContextReference">The care context it belongs to, unique at that facility (e.g. <c>TC-&lt;consultation id&gt;</c>).</param>
/// <param name="Display">What the patient sees for the care context (e.g. "Teleconsultation with Dr Anita Sharma, 4 Dec 2026").</param>
/// <param name="HiType">The ABDM hiType it is filed under (<c>OPConsultation</c>, <c>Prescription</c>).</param>
/// <param name="BundleJson">The FHIR R4 Bundle.</param>
/// <param name="RecordDate">When the care happened.</param>
/// <param name="LinkAsCareContext">Also link the care context to the patient's ABHA at <paramref name="FacilityId"/> (the platform is its HIP).</param>
/// <param name="Author">Who wrote it, for the audit entries when no caller is acting (a queue-triggered write), e.g. <c>system:pharmacy-orders</c>.</param>
public sealed record ProviderRecord(
    string PatientNumber,
    string FacilityId,
    string CareContextReference,
    string Display,
    string HiType,
    string BundleJson,
    DateTimeOffset RecordDate,
    bool LinkAsCareContext,
    string? Author = null);

/// <summary>
/// Port: adds a provider's record to the patient's health record (PHR timeline, encrypted under the patient's data key)
/// and, when asked, links it as a care context of the facility. Idempotent per (patient, facility, care context,
/// hiType): calling again after a retry or a redelivery adds and links nothing twice. Every write is audited on the
/// patient's chain; a failure throws, so the caller's retry completes it.
/// </summary>
public interface IProviderRecords
{
    Task AddAsync(ProviderRecord record, CancellationToken ct);
}
