using System.Text.Json.Nodes;
using Ndhm.Audit;

namespace Ndhm.Privacy.Export;

/// <summary>The patient whose data is exported or erased: their ABHA number (14 digits), their data key and audit chain.</summary>
public sealed record PatientDataSubject
{
    public PatientDataSubject(string abhaNumberDigits)
    {
        if (abhaNumberDigits is not { Length: 14 } || !abhaNumberDigits.All(char.IsAsciiDigit))
            throw new ArgumentException("A patient is named by the 14 digits of their ABHA number.", nameof(abhaNumberDigits));
        AbhaNumber = abhaNumberDigits;
    }

    /// <summary>The 14 digits, no hyphens.</summary>
    public string AbhaNumber { get; }

    public DataKeyScope DataKey => DataKeyScope.Patient(AbhaNumber);

    public string AuditChain => AuditChainKey.Patient(AbhaNumber);
}

/// <summary>
/// One part of the patient's data export (DPDP Act s.11, the right of access): each capability that holds data about
/// a patient registers one (<c>TryAddEnumerable</c>), and <see cref="PatientDataExport"/> puts every section's value
/// under its <see cref="Name"/> in one JSON document. Sections read with the platform's decryption (the patient
/// sees plaintext) and must not audit their own reads: the export is recorded once, as <c>data.export</c>.
/// </summary>
public interface IPatientDataExportSection
{
    /// <summary>The member name in the export document (camelCase, unique; e.g. <c>profile</c>, <c>consents</c>).</summary>
    string Name { get; }

    /// <summary>The section's value (an object or array; null when the capability holds nothing about the patient).</summary>
    Task<JsonNode?> ExportAsync(PatientDataSubject subject, CancellationToken ct);
}

/// <summary>A FHIR R4 resource the platform holds about the patient, for the export's <c>linkedRecords</c> Bundle.</summary>
/// <param name="FullUrl">The entry's <c>fullUrl</c>: an absolute URL or <c>urn:uuid:</c>, unique within the export.</param>
/// <param name="Resource">The resource in FHIR JSON (it has a <c>resourceType</c>).</param>
public sealed record PatientClinicalRecord(string FullUrl, JsonObject Resource);

/// <summary>
/// Clinical data held about the patient (linked care contexts, stored documents, prescriptions), contributed by the
/// capability that holds it; the export gathers all of them into one FHIR Bundle of type <c>collection</c>.
/// </summary>
public interface IPatientClinicalRecordSource
{
    Task<IReadOnlyList<PatientClinicalRecord>> GetRecordsAsync(PatientDataSubject subject, CancellationToken ct);
}

/// <summary>
/// What a capability removes when a patient's account is erased, besides what crypto-shredding already makes
/// unreadable (the patient's data key is destroyed first). Registered like sections; run in registration order after
/// the erasure is stored; each step must be idempotent (an erasure can be repeated).
/// </summary>
public interface IPatientErasureStep
{
    Task EraseAsync(PatientDataSubject subject, CancellationToken ct);
}
