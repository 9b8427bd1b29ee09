using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Json;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Phr.Records;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Phr;

/// <summary>The patient's health records in Cosmos (<see cref="HealthRecordDocument"/>), clinical fields sealed with the patient's data key.</summary>
public sealed class CosmosHealthRecordStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher, PhrPatientKeys keys) : IHealthRecordStore
{
    private const string Columns = "c.id, c.pk, c.docType, c.recordId, c.subject, c.source, c.hiType, c.hipKey, c.recordDate, c.sortKey, " +
                                   "c.storedAt, c.dataEraseAt, c.payloadInBlob, c.sizeBytes, c.record";

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.HealthRecords.Name);

    public async Task<StoredHealthRecord?> FindAsync(string patientNumber, string recordId, bool withPayload, CancellationToken ct)
    {
        var pk = await PartitionAsync(patientNumber, ct).ConfigureAwait(false);
        var id = HealthRecordDocument.IdOf(recordId);
        var document = await CosmosDocuments.FindAsync<HealthRecordDocument>(Container, id, pk, ct).ConfigureAwait(false);
        if (document is null || document.Subject != patientNumber) return null;
        var record = await RecordAsync(document, ct).ConfigureAwait(false);
        byte[]? payload = null;
        if (withPayload && document.Payload is { } sealedPayload)
        {
            payload = Convert.FromBase64String(await cipher.DecryptAsync(Scope(document.Subject), document.Id, HealthRecordDocument.PayloadField,
                sealedPayload, ct).ConfigureAwait(false));
        }

        return new StoredHealthRecord(record, payload);
    }

    public async Task<bool> TryCreateAsync(HealthRecord record, byte[]? inlinePayload, CancellationToken ct)
    {
        var id = HealthRecordDocument.IdOf(record.Id);
        var scope = Scope(record.PatientNumber);
        var secrets = new HealthRecordSealed(record.ContentType, record.Sha256, record.Title, record.FileName, record.HipId, record.CareContextReference,
            record.ConsentArtefactId, record.TransactionId);
        var sealedRecord = await cipher.EncryptAsync(scope, id, HealthRecordDocument.RecordField, JsonSerializer.Serialize(secrets, NdhmJson.Options), ct)
            .ConfigureAwait(false);
        var sealedPayload = inlinePayload is null
            ? null
            : await cipher.EncryptAsync(scope, id, HealthRecordDocument.PayloadField, Convert.ToBase64String(inlinePayload), ct).ConfigureAwait(false);
        var pk = await PartitionAsync(record.PatientNumber, ct).ConfigureAwait(false);
        var document = new HealthRecordDocument(id, pk, HealthRecordDocument.Type, record.Id, record.PatientNumber, Source(record.Source), record.HiType,
            record.HipId is null ? null : await keys.HipAsync(record.PatientNumber, record.HipId, ct).ConfigureAwait(false),
            record.RecordDate.ToUnixTimeMilliseconds(), TimelineCursor.SortKey(record), record.StoredAt.ToUnixTimeMilliseconds(),
            record.DataEraseAt?.ToUnixTimeSeconds(), record.PayloadInBlob, record.SizeBytes, sealedRecord, sealedPayload);
        return await CosmosDocuments.TryCreateAsync(Container, document, pk, ct).ConfigureAwait(false) is not null;
    }

    public async Task<IReadOnlyList<HealthRecord>> ListAsync(string patientNumber, TimelineFilter filter, string? before, int take, CancellationToken ct)
    {
        var pk = await PartitionAsync(patientNumber, ct).ConfigureAwait(false);
        var sql = new StringBuilder($"SELECT TOP @take {Columns} FROM c WHERE c.docType = @type AND c.subject = @subject");
        var parameters = new Dictionary<string, object?>
        {
            ["@take"] = take,
            ["@type"] = HealthRecordDocument.Type,
            ["@subject"] = patientNumber,
        };
        if (filter.HiType is not null) Add(sql, parameters, "c.hiType = @hiType", "@hiType", filter.HiType);
        if (filter.Source is { } source) Add(sql, parameters, "c.source = @source", "@source", Source(source));
        if (filter.HipId is not null) Add(sql, parameters, "c.hipKey = @hip", "@hip", await keys.HipAsync(patientNumber, filter.HipId, ct).ConfigureAwait(false));
        if (filter.From is { } from) Add(sql, parameters, "c.recordDate >= @from", "@from", from.ToUnixTimeMilliseconds());
        if (filter.To is { } to) Add(sql, parameters, "c.recordDate <= @to", "@to", to.ToUnixTimeMilliseconds());
        if (before is not null) Add(sql, parameters, "c.sortKey < @before", "@before", before);
        var query = new QueryDefinition(sql.Append(" ORDER BY c.sortKey DESC").ToString());
        foreach (var (name, value) in parameters) query = query.WithParameter(name, value);
        var documents = await CosmosDocuments.QueryAsync<HealthRecordDocument>(Container, query, take, pk, ct).ConfigureAwait(false);
        var records = new List<HealthRecord>(documents.Count);
        foreach (var document in documents) records.Add(await RecordAsync(document, ct).ConfigureAwait(false));
        return records;
    }

    public async Task<bool> DeleteAsync(string patientNumber, string recordId, CancellationToken ct) =>
        await CosmosDocuments.TryDeleteAsync(Container, HealthRecordDocument.IdOf(recordId), await PartitionAsync(patientNumber, ct).ConfigureAwait(false),
            ifMatch: null, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<HealthRecordKey>> ListEraseDueAsync(DateTimeOffset now, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take c.subject, c.recordId FROM c WHERE c.docType = @type AND IS_NUMBER(c.dataEraseAt) AND c.dataEraseAt <= @now")
            .WithParameter("@take", take).WithParameter("@type", HealthRecordDocument.Type).WithParameter("@now", now.ToUnixTimeSeconds());
        return (await CosmosDocuments.QueryAsync<DueRow>(Container, query, take, partitionKey: null, ct).ConfigureAwait(false))
            .Select(r => new HealthRecordKey(r.Subject, r.RecordId)).ToList();
    }

    public async Task<int> DeleteAllAsync(string patientNumber, CancellationToken ct)
    {
        var pk = await PartitionAsync(patientNumber, ct).ConfigureAwait(false);
        var ids = await CosmosDocuments.QueryAsync<IdRow>(Container, new QueryDefinition("SELECT c.id FROM c"), max: null, pk, ct).ConfigureAwait(false);
        var deleted = 0;
        foreach (var row in ids)
        {
            if (await CosmosDocuments.TryDeleteAsync(Container, row.Id, pk, ifMatch: null, ct).ConfigureAwait(false)) deleted++;
        }

        return deleted;
    }

    private async Task<HealthRecord> RecordAsync(HealthRecordDocument document, CancellationToken ct)
    {
        var json = await cipher.DecryptAsync(Scope(document.Subject), document.Id, HealthRecordDocument.RecordField, document.Record, ct).ConfigureAwait(false);
        var secrets = JsonSerializer.Deserialize<HealthRecordSealed>(json, NdhmJson.Options)
                      ?? throw new InvalidOperationException("A health record document holds no record.");
        return new HealthRecord
        {
            Id = document.RecordId,
            PatientNumber = document.Subject,
            Source = HealthRecordSources.Parse(document.Source) ?? HealthRecordSource.Uploaded,
            HiType = document.HiType,
            RecordDate = DateTimeOffset.FromUnixTimeMilliseconds(document.RecordDate),
            StoredAt = DateTimeOffset.FromUnixTimeMilliseconds(document.StoredAt),
            ContentType = secrets.ContentType,
            SizeBytes = document.SizeBytes,
            Sha256 = secrets.Sha256,
            PayloadInBlob = document.PayloadInBlob,
            Title = secrets.Title,
            FileName = secrets.FileName,
            HipId = secrets.HipId,
            CareContextReference = secrets.CareContextReference,
            ConsentArtefactId = secrets.ConsentArtefactId,
            TransactionId = secrets.TransactionId,
            DataEraseAt = document.DataEraseAt is { } erase ? DateTimeOffset.FromUnixTimeSeconds(erase) : null,
        };
    }

    private async Task<string> PartitionAsync(string patientNumber, CancellationToken ct) => "phr:" + await keys.PatientAsync(patientNumber, ct).ConfigureAwait(false);

    private static DataKeyScope Scope(string patientNumber) => DataKeyScope.Patient(patientNumber);

    private static string Source(HealthRecordSource source) => HealthRecordSources.Name(source);

    private static void Add(StringBuilder sql, Dictionary<string, object?> parameters, string condition, string name, object value)
    {
        sql.Append(" AND ").Append(condition);
        parameters[name] = value;
    }

    private sealed record DueRow(string Subject, string RecordId);

    private sealed record IdRow(string Id);
}
