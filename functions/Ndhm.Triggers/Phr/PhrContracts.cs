using System.Text.Json;
using Ndhm.Phr;
using Ndhm.Phr.Records;

namespace Ndhm.Triggers.Phr;

/// <summary>One record as the patient sees it (no payload: the bundle comes with the record, the file from /attachment).</summary>
/// <param name="Source"><c>PULLED</c> (from a HIP under a consent), <c>UPLOADED</c> (by the patient) or <c>PROVIDER</c> (written on the
/// platform by a care provider: teleconsultation notes, e-prescriptions, dispensing).</param>
/// <param name="Deletable">Whether the patient may delete it (their uploads only).</param>
public sealed record HealthRecordView(
    string Id,
    string Source,
    string HiType,
    DateTimeOffset RecordDate,
    DateTimeOffset StoredAt,
    string? Title,
    string ContentType,
    long SizeBytes,
    string Sha256,
    string? FileName,
    string? HipId,
    string? CareContextReference,
    string? ConsentArtefactId,
    string? TransactionId,
    DateTimeOffset? DataEraseAt,
    bool Deletable)
{
    public static HealthRecordView From(HealthRecord record) => new(record.Id, HealthRecordSources.Name(record.Source),
        record.HiType, record.RecordDate, record.StoredAt, record.Title, record.ContentType, record.SizeBytes, record.Sha256, record.FileName,
        record.HipId, record.CareContextReference, record.ConsentArtefactId, record.TransactionId, record.DataEraseAt,
        record.Source == HealthRecordSource.Uploaded);
}

/// <summary>A page of the timeline, newest first; pass <c>continuationToken</c> back for the next page (absent on the last).</summary>
public sealed record HealthRecordTimeline(IReadOnlyList<HealthRecordView> Records, string? ContinuationToken);

/// <summary>One record; <c>bundle</c> is the FHIR R4 bundle of a pulled or provider record (absent for uploads).</summary>
public sealed record HealthRecordDetailView(HealthRecordView Record, JsonElement? Bundle)
{
    public static HealthRecordDetailView From(HealthRecordDetail detail) =>
        new(HealthRecordView.From(detail.Record), detail.Bundle is null ? null : JsonSerializer.SerializeToElement(detail.Bundle));
}

/// <summary>Which consents currently let whom see what (granted, unexpired artefacts), soonest ending first.</summary>
public sealed record DataSharingView(IReadOnlyList<Ndhm.Phr.Consents.ConsentGrant> Consents);

/// <summary>How many pulled records the erasure run removed.</summary>
public sealed record HealthRecordErasureResult(int Erased);
