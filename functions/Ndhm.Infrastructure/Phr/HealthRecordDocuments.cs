namespace Ndhm.Infrastructure.Phr;

/// <summary>
/// A record of the patient's health record in the <c>health-records</c> container: id = <c>health-record:&lt;recordId&gt;</c>,
/// pk = <c>phr:&lt;keyed hash of the ABHA number&gt;</c> (one partition per patient: the timeline is a single-partition
/// query, and erasure empties one partition). Plaintext is only what queries need: source, hiType, care date and its
/// sort key, erase time, payload size and place, a keyed hash of the HIP; <c>subject</c> (the ABHA number) names the
/// data key, as consent and Health ID documents do. Everything else (HIP, care context, consent, transaction, title, file
/// name, type, digest) is the <c>record</c> envelope, and an inline payload the <c>payload</c> envelope, both under the
/// patient's data key with AAD = document id + field name.
/// </summary>
internal sealed record HealthRecordDocument(
    string Id,
    string Pk,
    string DocType,
    string RecordId,
    string Subject,
    string Source,
    string HiType,
    string? HipKey,
    long RecordDate,
    string SortKey,
    long StoredAt,
    long? DataEraseAt,
    bool PayloadInBlob,
    long SizeBytes,
    string Record,
    string? Payload)
{
    public const string Type = "healthRecord";
    public const string RecordField = "record";
    public const string PayloadField = "payload";

    public static string IdOf(string recordId) => "health-record:" + recordId;
}

/// <summary>What the <c>record</c> envelope holds.</summary>
internal sealed record HealthRecordSealed(
    string ContentType,
    string Sha256,
    string? Title,
    string? FileName,
    string? HipId,
    string? CareContextReference,
    string? ConsentArtefactId,
    string? TransactionId);
