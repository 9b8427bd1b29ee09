using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Consent;

/// <summary>Subscription requests in Cosmos (<see cref="SubscriptionRequestDocument"/>), the record encrypted with the patient's data key, updates with If-Match.</summary>
public sealed class CosmosSubscriptionStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher, IHealthIdKeySource keys) : ISubscriptionStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task CreateAsync(SubscriptionRecord record, CancellationToken ct)
    {
        var document = await DocumentAsync(record, ct);
        await CosmosDocuments.CreateAsync(Container, document, document.Pk,
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "The subscription request exists."), ct);
    }

    public async Task<Versioned<SubscriptionRecord>?> FindAsync(string subscriptionRequestId, CancellationToken ct)
    {
        if (!Guid.TryParse(subscriptionRequestId, out _)) return null;
        var id = SubscriptionRequestDocument.IdOf(subscriptionRequestId);
        return await CosmosDocuments.TryReadAsync<SubscriptionRequestDocument>(Container, id, id, ct) is { } read
            ? new Versioned<SubscriptionRecord>(await RecordAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<Versioned<SubscriptionRecord>?> FindBySubscriptionIdAsync(string subscriptionId, CancellationToken ct)
    {
        if (!Guid.TryParse(subscriptionId, out _)) return null;
        var query = new QueryDefinition("SELECT TOP 1 c.subscriptionRequestId FROM c WHERE c.docType = @type AND c.subscriptionId = @id")
            .WithParameter("@type", SubscriptionRequestDocument.Type).WithParameter("@id", subscriptionId);
        var found = await CosmosDocuments.QueryAsync<IdOnly>(Container, query, 1, partitionKey: null, ct);
        return found.Count == 0 ? null : await FindAsync(found[0].SubscriptionRequestId, ct);
    }

    public async Task<string> ReplaceAsync(SubscriptionRecord record, string ifMatch, CancellationToken ct)
    {
        var document = await DocumentAsync(record, ct);
        return await CosmosDocuments.ReplaceAsync(Container, document, document.Id, document.Pk, ifMatch,
            () => new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The subscription changed meanwhile."),
            () => SubscriptionErrors.RequestNotFound(), ct);
    }

    public async Task<IReadOnlyList<SubscriptionRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, int take, CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.patientKey = @patient");
        if (status is not null) sql.Append(" AND c.status = @status");
        var query = new QueryDefinition(sql.Append(" ORDER BY c.createdAt DESC").ToString())
            .WithParameter("@take", take).WithParameter("@type", SubscriptionRequestDocument.Type)
            .WithParameter("@patient", await CosmosConsentStore.PatientKeyAsync(keys, patientNumber, ct))
            .WithParameter("@status", status is null ? null : ConsentStatuses.Name(status.Value));
        var records = new List<SubscriptionRecord>();
        foreach (var document in await CosmosDocuments.QueryAsync<SubscriptionRequestDocument>(Container, query, take, partitionKey: null, ct))
            records.Add(await RecordAsync(document, ct));
        return records;
    }

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take c.subscriptionRequestId FROM c WHERE c.docType = @type AND IS_NUMBER(c.dueAt) AND c.dueAt <= @now")
            .WithParameter("@take", take).WithParameter("@type", SubscriptionRequestDocument.Type).WithParameter("@now", now.ToUnixTimeSeconds());
        return (await CosmosDocuments.QueryAsync<IdOnly>(Container, query, take, partitionKey: null, ct)).Select(d => d.SubscriptionRequestId).ToList();
    }

    private async Task<SubscriptionRequestDocument> DocumentAsync(SubscriptionRecord record, CancellationToken ct)
    {
        var id = SubscriptionRequestDocument.IdOf(record.Id);
        var json = JsonSerializer.Serialize(record, NdhmJson.Options);
        var sealedRecord = await cipher.EncryptAsync(DataKeyScope.Patient(record.PatientNumber), id, SubscriptionRequestDocument.RecordField, json, ct);
        return new SubscriptionRequestDocument(id, id, SubscriptionRequestDocument.Type, record.Id, record.HiuPartnerId, record.PatientNumber,
            await CosmosConsentStore.PatientKeyAsync(keys, record.PatientNumber, ct), ConsentStatuses.Name(record.Status), record.Detail.Purpose.Code,
            record.SubscriptionId, record.Sources.Select(s => s.Hip?.Id ?? "*").Concat(record.Detail.Hips.Select(h => h.Id)).Distinct().ToList(),
            record.CreatedAt.ToUnixTimeMilliseconds(), record.DueAt?.ToUnixTimeSeconds(), sealedRecord);
    }

    private async Task<SubscriptionRecord> RecordAsync(SubscriptionRequestDocument document, CancellationToken ct)
    {
        var json = await cipher.DecryptAsync(DataKeyScope.Patient(document.Subject), document.Id, SubscriptionRequestDocument.RecordField, document.Record, ct);
        return JsonSerializer.Deserialize<SubscriptionRecord>(json, NdhmJson.Options)
               ?? throw new InvalidOperationException("A subscription document holds no record.");
    }

    private sealed record IdOnly(string SubscriptionRequestId);
}
