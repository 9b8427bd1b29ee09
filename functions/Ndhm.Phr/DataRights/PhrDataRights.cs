using System.Text;
using System.Text.Json.Nodes;
using Ndhm.Phr.Records;
using Ndhm.Privacy.Export;

namespace Ndhm.Phr.DataRights;

/// <summary>
/// The patient's records in the export's <c>linkedRecords</c> Bundle: each pulled or provider record's FHIR bundle as it came, each
/// upload as a <c>DocumentReference</c> with its file inline (base64 <c>attachment.data</c>). Not audited on its own: the export is.
/// </summary>
public sealed class PhrClinicalRecordSource(PhrRecordService records) : IPatientClinicalRecordSource
{
    public async Task<IReadOnlyList<PatientClinicalRecord>> GetRecordsAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var result = new List<PatientClinicalRecord>();
        await foreach (var (record, payload) in records.ReadAllAsync(subject.AbhaNumber, ct).ConfigureAwait(false))
        {
            var resource = record.HasBundle()
                ? JsonNode.Parse(Encoding.UTF8.GetString(payload))!.AsObject()
                : DocumentReference(record, payload);
            result.Add(new PatientClinicalRecord("urn:uuid:" + record.Id, resource));
        }

        return result;
    }

    private static JsonObject DocumentReference(HealthRecord record, byte[] payload) => new()
    {
        ["resourceType"] = "DocumentReference",
        ["id"] = record.Id,
        ["status"] = "current",
        ["type"] = new JsonObject
        {
            ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "419891008", ["display"] = "Record artifact" }),
            ["text"] = HiTypes.HealthDocumentRecord,
        },
        ["date"] = record.StoredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["description"] = record.Title,
        ["content"] = new JsonArray(new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["contentType"] = record.ContentType,
                ["data"] = Convert.ToBase64String(payload),
                ["size"] = record.SizeBytes,
                ["title"] = record.FileName ?? record.Title,
                ["creation"] = record.RecordDate.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        }),
    };
}

/// <summary>
/// The patient's erasure removes their records and payloads (already unreadable: Health ID destroyed their data key
/// first). Idempotent: a repeated erasure finds nothing left.
/// </summary>
public sealed class PhrErasure(IHealthRecordStore store, IHealthRecordPayloads payloads) : IPatientErasureStep
{
    public async Task EraseAsync(PatientDataSubject subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await store.DeleteAllAsync(subject.AbhaNumber, ct).ConfigureAwait(false);
        await payloads.DeleteAllAsync(subject.AbhaNumber, ct).ConfigureAwait(false);
    }
}
