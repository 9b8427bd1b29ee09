using System.Globalization;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>Sealed records in the <c>pharmacy</c> container (<see cref="PharmacySealedDocument"/>), read and written with their ETags.</summary>
public sealed class PharmacyRecords(CosmosClient client, CosmosSettings settings, FieldCipher cipher)
{
    internal Container Container => client.GetContainer(settings.Database, CosmosContainers.Pharmacy.Name);

    /// <summary>Ids are UUIDs; anything else names nothing.</summary>
    public static bool IsId(string? id) => Guid.TryParse(id, out var g) && g.ToString() == id;

    public async Task<string?> TryCreateAsync<T>(string kind, string id, string patientNumber, string? status, T record, CancellationToken ct) =>
        await CosmosDocuments.TryCreateAsync(Container, await SealAsync(kind, id, patientNumber, status, record, ct), kind + ":" + id, ct);

    public async Task<Versioned<T>?> FindAsync<T>(string kind, string id, CancellationToken ct)
    {
        if (!IsId(id)) return null;
        var docId = kind + ":" + id;
        if (await CosmosDocuments.TryReadAsync<PharmacySealedDocument>(Container, docId, docId, ct) is not { } read) return null;
        var json = await cipher.DecryptAsync(DataKeyScope.Patient(read.Document.Subject), docId, PharmacySealedDocument.RecordField, read.Document.Record, ct);
        return new Versioned<T>(JsonSerializer.Deserialize<T>(json, NdhmJson.Options) ?? throw new InvalidOperationException($"{docId} holds no record."),
            read.ETag);
    }

    /// <summary>One patient's records of a kind (their <c>subject</c>), most recently written first, decrypted.</summary>
    public async Task<IReadOnlyList<T>> ListForPatientAsync<T>(string kind, string patientNumber, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.docType = @kind AND c.subject = @subject ORDER BY c.updatedAt DESC")
            .WithParameter("@take", take).WithParameter("@kind", kind).WithParameter("@subject", patientNumber);
        var records = new List<T>();
        foreach (var d in await CosmosDocuments.QueryAsync<PharmacySealedDocument>(Container, query, take, partitionKey: null, ct))
        {
            var json = await cipher.DecryptAsync(DataKeyScope.Patient(d.Subject), d.Id, PharmacySealedDocument.RecordField, d.Record, ct);
            records.Add(JsonSerializer.Deserialize<T>(json, NdhmJson.Options) ?? throw new InvalidOperationException($"{d.Id} holds no record."));
        }

        return records;
    }

    public async Task<string?> TryReplaceAsync<T>(string kind, string id, string patientNumber, string? status, T record, string ifMatch, CancellationToken ct)
    {
        var document = await SealAsync(kind, id, patientNumber, status, record, ct);
        return (await CosmosDocuments.TryReplaceAsync(Container, document, document.Id, document.Pk, ifMatch, ct)).ETag;
    }

    private async Task<PharmacySealedDocument> SealAsync<T>(string kind, string id, string patientNumber, string? status, T record, CancellationToken ct)
    {
        var docId = kind + ":" + id;
        var sealedRecord = await cipher.EncryptAsync(DataKeyScope.Patient(patientNumber), docId, PharmacySealedDocument.RecordField,
            JsonSerializer.Serialize(record, NdhmJson.Options), ct);
        return new PharmacySealedDocument(docId, docId, kind, patientNumber, status, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), sealedRecord);
    }
}

public sealed class CosmosPrescriptionStore(PharmacyRecords records) : IPrescriptionStore
{
    internal const string Kind = "prescription";

    public async Task CreateAsync(Prescription prescription, CancellationToken ct)
    {
        if (await records.TryCreateAsync(Kind, prescription.Id, prescription.PatientNumber, null, prescription, ct) is null)
            throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "The prescription exists.");
    }

    public async Task<Prescription?> FindAsync(string prescriptionId, CancellationToken ct) =>
        (await records.FindAsync<Prescription>(Kind, prescriptionId, ct))?.Value;
}

public sealed class CosmosShareStore(PharmacyRecords records) : IShareStore
{
    internal const string Kind = "rx-share";

    public async Task<string> CreateAsync(PrescriptionShare share, CancellationToken ct) =>
        await records.TryCreateAsync(Kind, share.Id, share.PatientNumber, null, share, ct)
        ?? throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "The share exists.");

    public Task<Versioned<PrescriptionShare>?> FindAsync(string shareId, CancellationToken ct) => records.FindAsync<PrescriptionShare>(Kind, shareId, ct);

    public async Task<string> ReplaceAsync(PrescriptionShare share, string ifMatch, CancellationToken ct) =>
        await records.TryReplaceAsync(Kind, share.Id, share.PatientNumber, share.OrderId is null ? "open" : "ordered", share, ifMatch, ct)
        ?? throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The share changed meanwhile.",
            "Another quote or order changed it at the same time; read it again.");
}

/// <summary>The patient's own prescriptions and shares: a query on the plaintext <c>subject</c> and <c>docType</c> (cross-partition).</summary>
public sealed class CosmosPatientPharmacyIndex(PharmacyRecords records) : IPatientPharmacyIndex
{
    public Task<IReadOnlyList<Prescription>> PrescriptionsAsync(string patientNumber, int take, CancellationToken ct) =>
        records.ListForPatientAsync<Prescription>(CosmosPrescriptionStore.Kind, patientNumber, take, ct);

    public Task<IReadOnlyList<PrescriptionShare>> SharesAsync(string patientNumber, int take, CancellationToken ct) =>
        records.ListForPatientAsync<PrescriptionShare>(CosmosShareStore.Kind, patientNumber, take, ct);
}

public sealed class CosmosOrderStore(PharmacyRecords records) : IOrderStore
{
    private const string Kind = "rx-order";

    public async Task<bool> TryCreateAsync(Order order, CancellationToken ct) =>
        await records.TryCreateAsync(Kind, order.Id, order.PatientNumber, OrderStatuses.Name(order.Status), order, ct) is not null;

    public Task<Versioned<Order>?> FindAsync(string orderId, CancellationToken ct) => records.FindAsync<Order>(Kind, orderId, ct);

    public Task<string?> TryReplaceAsync(Order order, string ifMatch, CancellationToken ct) =>
        records.TryReplaceAsync(Kind, order.Id, order.PatientNumber, OrderStatuses.Name(order.Status), order, ifMatch, ct);
}

public sealed class CosmosDispensingLedgerStore(PharmacyRecords records) : IDispensingLedgerStore
{
    private const string Kind = "rx-ledger";

    public async Task CreateAsync(DispensingLedger ledger, CancellationToken ct)
    {
        if (await records.TryCreateAsync(Kind, ledger.PrescriptionId, ledger.PatientNumber, null, ledger, ct) is null)
            throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "The prescription's ledger exists.");
    }

    public Task<Versioned<DispensingLedger>?> FindAsync(string prescriptionId, CancellationToken ct) =>
        records.FindAsync<DispensingLedger>(Kind, prescriptionId, ct);

    public Task<string?> TryReplaceAsync(DispensingLedger ledger, string ifMatch, CancellationToken ct) =>
        records.TryReplaceAsync(Kind, ledger.PrescriptionId, ledger.PatientNumber, null, ledger, ifMatch, ct);
}

public sealed class CosmosDispensingRegister(PharmacyRecords records, FieldCipher cipher) : IDispensingRegister
{
    public async Task RecordAsync(DispensingRegisterEntry entry, CancellationToken ct)
    {
        var id = "rx-register:" + entry.Id;
        var pk = "rx-register:" + entry.DispensedAt.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var patient = await cipher.EncryptAsync(DataKeyScope.Patient(entry.PatientNumber), id, RegisterDocument.PatientField, entry.PatientNumber, ct);
        await CosmosDocuments.TryCreateAsync(records.Container, new RegisterDocument(id, pk, RegisterDocument.Type, entry.PatientNumber,
            entry.DispensedAt.ToUnixTimeMilliseconds(), entry.PrescriberHprId, entry.DrugCode, entry.DrugName, entry.Schedule.ToString().ToUpperInvariant(),
            entry.Quantity, entry.PharmacyId, entry.PrescriptionId, entry.OrderId, patient), pk, ct);
    }

    public async Task<IReadOnlyList<DispensingRegisterEntry>> ListAsync(DateTimeOffset from, DateTimeOffset to, int take, CancellationToken ct)
    {
        var query = new QueryDefinition(
                "SELECT TOP @take * FROM c WHERE c.docType = @type AND c.dispensedAt >= @from AND c.dispensedAt <= @to ORDER BY c.dispensedAt")
            .WithParameter("@take", take).WithParameter("@type", RegisterDocument.Type)
            .WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds());
        var entries = new List<DispensingRegisterEntry>();
        foreach (var d in await CosmosDocuments.QueryAsync<RegisterDocument>(records.Container, query, take, partitionKey: null, ct))
        {
            var patient = await cipher.DecryptAsync(DataKeyScope.Patient(d.Subject), d.Id, RegisterDocument.PatientField, d.Patient, ct);
            entries.Add(new DispensingRegisterEntry(d.Id["rx-register:".Length..], DateTimeOffset.FromUnixTimeMilliseconds(d.DispensedAt), d.PrescriberHprId,
                patient, d.DrugCode, d.DrugName, Enum.Parse<DrugSchedule>(d.Schedule, ignoreCase: true), d.Quantity, d.PharmacyId, d.PrescriptionId, d.OrderId));
        }

        return entries;
    }
}
