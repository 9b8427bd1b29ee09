using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.DataTransfer;
using Ndhm.HealthId.Identity;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.DataTransfer;

/// <summary>
/// A health-information transaction in the <c>consents</c> container (beside the consent it uses): id = pk =
/// <c>hi-transaction:&lt;id&gt;</c>. Plaintext: what lookups need (HIU partner, status, artefact id, the patient's keyed
/// hash); the record (ABHA address, care contexts, push URL, key material) is one <c>enc:v1</c> field under the
/// patient's data key, so erasing the patient's key erases it too.
/// </summary>
internal sealed record HiTransactionDocument(string Id, string Pk, string DocType, string TransactionId, string HiuPartnerId, string Subject,
    string PatientKey, string ConsentArtefactId, string Status, long CreatedAt, string Record)
{
    public const string Type = "hiTransaction";
    public const string RecordField = "record";

    public static string IdOf(string transactionId) => "hi-transaction:" + transactionId;
}

/// <summary>An artefact's recent requests (for its frequency): id = pk = <c>hi-usage:&lt;artefactId&gt;</c>; ids and times only.</summary>
internal sealed record ArtefactUsageDocument(string Id, string Pk, string DocType, string ConsentArtefactId, IReadOnlyList<ArtefactUse> Uses)
{
    public const string Type = "hiArtefactUsage";

    public static string IdOf(string artefactId) => "hi-usage:" + artefactId;
}

public sealed class CosmosTransferStore(CosmosClient client, CosmosSettings settings, FieldCipher cipher, IHealthIdKeySource keys) : ITransferStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task<bool> TryCreateAsync(HiTransaction transaction, CancellationToken ct)
    {
        var document = await DocumentAsync(transaction, ct);
        return await CosmosDocuments.TryCreateAsync(Container, document, document.Pk, ct) is not null;
    }

    public async Task<Versioned<HiTransaction>?> FindAsync(string transactionId, CancellationToken ct)
    {
        if (!Guid.TryParse(transactionId, out _)) return null;
        var id = HiTransactionDocument.IdOf(transactionId);
        return await CosmosDocuments.TryReadAsync<HiTransactionDocument>(Container, id, id, ct) is { } read
            ? new Versioned<HiTransaction>(await RecordAsync(read.Document, ct), read.ETag)
            : null;
    }

    public async Task<string> ReplaceAsync(HiTransaction transaction, string ifMatch, CancellationToken ct)
    {
        var document = await DocumentAsync(transaction, ct);
        return await CosmosDocuments.ReplaceAsync(Container, document, document.Id, document.Pk, ifMatch,
            () => new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The transaction changed meanwhile."),
            () => DataTransferErrors.TransactionMissing(), ct);
    }

    public async Task<Versioned<ArtefactUsage>?> FindUsageAsync(string artefactId, CancellationToken ct)
    {
        var id = ArtefactUsageDocument.IdOf(artefactId);
        return await CosmosDocuments.TryReadAsync<ArtefactUsageDocument>(Container, id, id, ct) is { } read
            ? new Versioned<ArtefactUsage>(new ArtefactUsage(read.Document.ConsentArtefactId, read.Document.Uses), read.ETag)
            : null;
    }

    public async Task<bool> TrySaveUsageAsync(ArtefactUsage usage, string? ifMatch, CancellationToken ct)
    {
        var id = ArtefactUsageDocument.IdOf(usage.ConsentArtefactId);
        var document = new ArtefactUsageDocument(id, id, ArtefactUsageDocument.Type, usage.ConsentArtefactId, usage.Uses);
        if (ifMatch is null) return await CosmosDocuments.TryCreateAsync(Container, document, id, ct) is not null;
        var (etag, _) = await CosmosDocuments.TryReplaceAsync(Container, document, id, id, ifMatch, ct);
        return etag is not null;
    }

    private async Task<HiTransactionDocument> DocumentAsync(HiTransaction transaction, CancellationToken ct)
    {
        var id = HiTransactionDocument.IdOf(transaction.Id);
        var json = JsonSerializer.Serialize(transaction, NdhmJson.Options);
        var sealedRecord = await cipher.EncryptAsync(DataKeyScope.Patient(transaction.PatientNumber), id, HiTransactionDocument.RecordField, json, ct);
        return new HiTransactionDocument(id, id, HiTransactionDocument.Type, transaction.Id, transaction.HiuPartnerId, transaction.PatientNumber,
            await PatientKeyAsync(transaction.PatientNumber, ct), transaction.ConsentArtefactId, TransferStatuses.Name(transaction.Status),
            transaction.CreatedAt.ToUnixTimeMilliseconds(), sealedRecord);
    }

    private async Task<HiTransaction> RecordAsync(HiTransactionDocument document, CancellationToken ct)
    {
        var json = await cipher.DecryptAsync(DataKeyScope.Patient(document.Subject), document.Id, HiTransactionDocument.RecordField, document.Record, ct);
        return JsonSerializer.Deserialize<HiTransaction>(json, NdhmJson.Options)
               ?? throw new InvalidOperationException("A transaction document holds no record.");
    }

    /// <summary>HMAC-SHA256 of the ABHA number under Health ID's identity-hash key, labelled for transactions.</summary>
    private async Task<string> PatientKeyAsync(string patientNumber, CancellationToken ct)
    {
        var key = await keys.GetKeyAsync(HealthIdKeyPurpose.IdentityHash, ct);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("hi-transaction-patient:" + patientNumber)));
    }
}
