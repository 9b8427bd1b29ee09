using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Consent;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Consent records in Cosmos (<see cref="ConsentRequestDocument"/>), the record encrypted with the patient's data key,
/// updates with If-Match; artefact ids resolve through create-only reference documents written before the grant.
/// </summary>
public sealed class CosmosConsentStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher, IHealthIdKeySource keys) : IConsentStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task<string> CreateAsync(ConsentRecord record, CancellationToken ct)
    {
        var document = await DocumentAsync(record, ct);
        return await CosmosDocuments.CreateAsync(Container, document, document.Pk,
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "The consent request exists."), ct);
    }

    public async Task<Versioned<ConsentRecord>?> FindAsync(string consentRequestId, CancellationToken ct)
    {
        var id = ConsentRequestDocument.IdOf(consentRequestId);
        if (!Ids.IsValid(consentRequestId)) return null;
        return await CosmosDocuments.TryReadAsync<ConsentRequestDocument>(Container, id, id, ct) is { } read
            ? new Versioned<ConsentRecord>(await RecordAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<Versioned<ConsentRecord>?> FindByArtefactAsync(string artefactId, CancellationToken ct)
    {
        if (!Ids.IsValid(artefactId)) return null;
        var refId = ConsentArtefactRefDocument.IdOf(artefactId);
        var reference = await CosmosDocuments.FindAsync<ConsentArtefactRefDocument>(Container, refId, refId, ct);
        if (reference is null || await FindAsync(reference.ConsentRequestId, ct) is not { } found) return null;
        // A reference written for a grant that lost its race points at a record that does not hold the artefact.
        return found.Value.Artefact(artefactId) is null ? null : found;
    }

    public async Task<string> ReplaceAsync(ConsentRecord record, string ifMatch, CancellationToken ct)
    {
        foreach (var artefact in record.Artefacts)
        {
            var refId = ConsentArtefactRefDocument.IdOf(artefact.Id);
            await CosmosDocuments.TryCreateAsync(Container, new ConsentArtefactRefDocument(refId, refId, ConsentArtefactRefDocument.Type, record.Id), refId, ct);
        }

        var document = await DocumentAsync(record, ct);
        return await CosmosDocuments.ReplaceAsync(Container, document, document.Id, document.Pk, ifMatch,
            () => new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The consent changed meanwhile."),
            () => ConsentErrors.RequestNotFound(), ct);
    }

    public async Task<IReadOnlyList<ConsentRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, bool emergencyOnly, int take,
        CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.patientKey = @patient");
        if (status is not null) sql.Append(" AND c.status = @status");
        if (emergencyOnly) sql.Append(" AND c.emergency = true");
        var query = new QueryDefinition(sql.Append(" ORDER BY c.createdAt DESC").ToString())
            .WithParameter("@take", take).WithParameter("@type", ConsentRequestDocument.Type)
            .WithParameter("@patient", await PatientKeyAsync(patientNumber, ct))
            .WithParameter("@status", status is null ? null : ConsentStatuses.Name(status.Value));
        var documents = await CosmosDocuments.QueryAsync<ConsentRequestDocument>(Container, query, take, partitionKey: null, ct);
        var records = new List<ConsentRecord>();
        foreach (var document in documents) records.Add(await RecordAsync(document, ct));
        return records;
    }

    public async Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take c.consentRequestId FROM c WHERE c.docType = @type AND IS_NUMBER(c.dueAt) AND c.dueAt <= @now")
            .WithParameter("@take", take).WithParameter("@type", ConsentRequestDocument.Type).WithParameter("@now", now.ToUnixTimeSeconds());
        return (await CosmosDocuments.QueryAsync<IdOnly>(Container, query, take, partitionKey: null, ct)).Select(d => d.ConsentRequestId).ToList();
    }

    public async Task<IReadOnlyList<string>> ListUnnotifiedAsync(DateTimeOffset before, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take c.consentRequestId FROM c WHERE c.docType = @type AND IS_NUMBER(c.unnotifiedSince) AND c.unnotifiedSince <= @before")
            .WithParameter("@take", take).WithParameter("@type", ConsentRequestDocument.Type).WithParameter("@before", before.ToUnixTimeSeconds());
        return (await CosmosDocuments.QueryAsync<IdOnly>(Container, query, take, partitionKey: null, ct)).Select(d => d.ConsentRequestId).ToList();
    }

    private async Task<ConsentRequestDocument> DocumentAsync(ConsentRecord record, CancellationToken ct)
    {
        var id = ConsentRequestDocument.IdOf(record.Id);
        var json = JsonSerializer.Serialize(record, NdhmJson.Options);
        var sealedRecord = await cipher.EncryptAsync(DataKeyScope.Patient(record.PatientNumber), id, ConsentRequestDocument.RecordField, json, ct);
        var unnotified = record.Events.Where(e => !e.Notified).Select(e => (DateTimeOffset?)e.At).Min();
        return new ConsentRequestDocument(id, id, ConsentRequestDocument.Type, record.Id, record.HiuPartnerId, record.PatientNumber,
            await PatientKeyAsync(record.PatientNumber, ct), ConsentStatuses.Name(record.Status), record.Detail.Purpose.Code, record.IsEmergency,
            record.Artefacts.Select(a => a.HipId).Distinct().ToList(), record.Artefacts.Select(a => a.Id).ToList(),
            record.CreatedAt.ToUnixTimeMilliseconds(), record.DueAt?.ToUnixTimeSeconds(), unnotified?.ToUnixTimeSeconds(), sealedRecord);
    }

    private async Task<ConsentRecord> RecordAsync(ConsentRequestDocument document, CancellationToken ct)
    {
        var json = await cipher.DecryptAsync(DataKeyScope.Patient(document.Subject), document.Id, ConsentRequestDocument.RecordField, document.Record, ct);
        return JsonSerializer.Deserialize<ConsentRecord>(json, NdhmJson.Options)
               ?? throw new InvalidOperationException("A consent document holds no record.");
    }

    /// <summary>HMAC-SHA256 of the ABHA number under Health ID's identity-hash key, labelled so it matches no other hash.</summary>
    private Task<string> PatientKeyAsync(string patientNumber, CancellationToken ct) => PatientKeyAsync(keys, patientNumber, ct);

    /// <inheritdoc cref="PatientKeyAsync(string, CancellationToken)"/>
    internal static async Task<string> PatientKeyAsync(IHealthIdKeySource keys, string patientNumber, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("consent-patient:" + patientNumber)));
    }

    private sealed record IdOnly(string ConsentRequestId);

    private static class Ids
    {
        public static bool IsValid(string id) => Guid.TryParse(id, out _);
    }
}
