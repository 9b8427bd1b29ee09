namespace Ndhm.Phr.Records;

/// <summary>
/// Where a record came from: pulled from a HIP under a consent, uploaded by the patient, or written on the platform by
/// a care provider (a teleconsultation's notes, an e-prescription, a pharmacy's dispensing; the platform is their HIP).
/// </summary>
public enum HealthRecordSource
{
    Pulled,
    Uploaded,
    Provider,
}

/// <summary>The sources as stored and shown: <c>PULLED</c>, <c>UPLOADED</c>, <c>PROVIDER</c>.</summary>
public static class HealthRecordSources
{
    public static string Name(HealthRecordSource source) => source switch
    {
        HealthRecordSource.Pulled => "PULLED",
        HealthRecordSource.Provider => "PROVIDER",
        _ => "UPLOADED",
    };

    /// <summary>The source named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static HealthRecordSource? Parse(string? name) => name?.Trim().ToUpperInvariant() switch
    {
        "PULLED" => HealthRecordSource.Pulled,
        "UPLOADED" => HealthRecordSource.Uploaded,
        "PROVIDER" => HealthRecordSource.Provider,
        _ => null,
    };

    /// <summary>Whether the payload is a FHIR bundle (pulled and provider records; uploads are files).</summary>
    public static bool HasBundle(this HealthRecord record) => record.Source != HealthRecordSource.Uploaded;
}

/// <summary>
/// One record of the patient's health record, as the platform's PHR (a HIU acting for the patient) holds it. Its payload
/// (a FHIR bundle, or an uploaded PDF/JPEG/PNG) is stored apart, encrypted with the patient's data key: inline in the
/// record's document when small, in Blob storage otherwise (<see cref="PayloadInBlob"/>).
/// </summary>
public sealed record HealthRecord
{
    /// <summary>
    /// A UUID: random for uploads, derived from (patient, transaction, care context, hiType) for pulled records and from
    /// (patient, facility, care context, hiType) for provider records.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>The owner's ABHA number, 14 digits (their data key and audit chain).</summary>
    public required string PatientNumber { get; init; }

    public required HealthRecordSource Source { get; init; }

    /// <summary>ABDM hiType (<c>Prescription</c>, <c>DiagnosticReport</c>...); uploads are <c>HealthDocumentRecord</c>.</summary>
    public required string HiType { get; init; }

    /// <summary>When the care happened (the bundle's timestamp, or the upload's date as the patient gave it); the timeline's order.</summary>
    public required DateTimeOffset RecordDate { get; init; }

    public required DateTimeOffset StoredAt { get; init; }

    /// <summary>The payload's media type: <c>application/fhir+json</c> for bundles, the sniffed type for uploads.</summary>
    public required string ContentType { get; init; }

    public required long SizeBytes { get; init; }

    /// <summary>SHA-256 of the plaintext payload, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    public required bool PayloadInBlob { get; init; }

    public string? Title { get; init; }

    public string? FileName { get; init; }

    public string? HipId { get; init; }

    public string? CareContextReference { get; init; }

    public string? ConsentArtefactId { get; init; }

    public string? TransactionId { get; init; }

    /// <summary>Pulled records only: when the consent's permission says they must be erased.</summary>
    public DateTimeOffset? DataEraseAt { get; init; }

    public bool IsEraseDue(DateTimeOffset now) => DataEraseAt is { } at && at <= now;
}

/// <summary>What the data-transfer capability's HIU side hands over for one care context and hiType of a transfer.</summary>
/// <param name="PatientNumber">The patient's ABHA number (14 digits, hyphens allowed): the consent record's patient.</param>
/// <param name="BundleJson">The decrypted, validated FHIR R4 document bundle.</param>
/// <param name="RecordDate">When the care happened; when absent, the bundle's <c>timestamp</c>, else the time it was stored.</param>
public sealed record PulledHealthRecord(
    string PatientNumber,
    string ConsentArtefactId,
    string TransactionId,
    string HipId,
    string CareContextReference,
    string HiType,
    string BundleJson,
    DateTimeOffset DataEraseAt,
    DateTimeOffset? RecordDate = null);

/// <summary>A provider's record written on the platform (teleconsultation notes, e-prescription, dispensing).</summary>
/// <param name="PatientNumber">The patient's ABHA number (14 digits, hyphens allowed).</param>
/// <param name="HipId">The facility it comes from.</param>
/// <param name="CareContextReference">Its care context at that facility.</param>
/// <param name="BundleJson">The FHIR R4 Bundle.</param>
/// <param name="Title">What the timeline shows (the bundle's Composition title when absent).</param>
/// <param name="Author">Who wrote it, for the audit entry when no caller is acting (e.g. <c>system:pharmacy-orders</c>).</param>
public sealed record ProviderHealthRecord(
    string PatientNumber,
    string HipId,
    string CareContextReference,
    string HiType,
    string BundleJson,
    DateTimeOffset RecordDate,
    string? Title = null,
    string? Author = null);

/// <summary>A document the patient uploads (a HealthDocumentRecord).</summary>
/// <param name="DeclaredContentType">The request's Content-Type; must match what the content is.</param>
/// <param name="Title">What the patient calls it (optional; the file name otherwise).</param>
/// <param name="FileName">The original file name (optional; only shown back, never trusted for the type).</param>
/// <param name="RecordDate">When the care happened (optional; the upload time otherwise).</param>
public sealed record HealthDocumentUpload(
    string PatientNumber,
    string? DeclaredContentType,
    Stream Content,
    string? Title = null,
    string? FileName = null,
    DateTimeOffset? RecordDate = null);

/// <summary>Identifies a record for background work (the erasure timer).</summary>
public sealed record HealthRecordKey(string PatientNumber, string RecordId);
