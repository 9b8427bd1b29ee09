using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// Partner-auth transactions in the <c>otp</c> container (id = pk = <c>partner-auth:</c> + transaction id; own <c>ttl</c>),
/// and the DIRECT mode's users/auth/notify notices beside them (id = pk = <c>partner-auth-notice:</c> + requestId).
/// </summary>
public sealed class CosmosPartnerAuthTransactionStore(CosmosClient client, CosmosSettings settings) : IPartnerAuthTransactionStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Otp.Name);

    public async Task<Versioned<PartnerAuthTransaction>?> FindAsync(string transactionId, CancellationToken ct)
    {
        var id = PartnerAuthTransaction.DocumentId(transactionId);
        var read = await CosmosDocuments.TryReadAsync<PartnerAuthTransaction>(container, id, id, ct).ConfigureAwait(false);
        return read is { } r && r.Document.Type == PartnerAuthTransaction.DocumentType ? new Versioned<PartnerAuthTransaction>(r.Document, r.ETag) : null;
    }

    public Task CreateAsync(PartnerAuthTransaction transaction, CancellationToken ct) =>
        CosmosDocuments.CreateAsync(container, transaction, transaction.Id, CosmosHealthIdErrors.AlreadyExists, ct);

    public Task ReplaceAsync(PartnerAuthTransaction transaction, string ifMatch, CancellationToken ct) =>
        CosmosDocuments.ReplaceAsync(container, transaction, transaction.Id, transaction.Id, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate,
            CosmosHealthIdErrors.ConcurrentUpdate, ct);

    /// <summary>Cross-partition (one document per transaction), by the keyed patient hash; the transactions' ttl keeps the set small.</summary>
    public async Task<IReadOnlyList<PartnerAuthTransaction>> ListDirectAsync(string patientKey, int take, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.type = @type AND c.patientKey = @key ORDER BY c._ts DESC")
            .WithParameter("@take", take).WithParameter("@type", PartnerAuthTransaction.DocumentType).WithParameter("@key", patientKey);
        return await CosmosDocuments.QueryAsync<PartnerAuthTransaction>(container, query, take, partitionKey: null, ct).ConfigureAwait(false);
    }

    public async Task<bool> TryCreateNoticeAsync(PartnerAuthNotice notice, CancellationToken ct) =>
        await CosmosDocuments.TryCreateAsync(container, notice, notice.Pk, ct).ConfigureAwait(false) is not null;

    public async Task<Versioned<PartnerAuthNotice>?> FindNoticeAsync(string requestId, CancellationToken ct)
    {
        var id = PartnerAuthNotice.DocumentId(requestId);
        var read = await CosmosDocuments.TryReadAsync<PartnerAuthNotice>(container, id, id, ct).ConfigureAwait(false);
        return read is { } r && r.Document.Type == PartnerAuthNotice.DocumentType ? new Versioned<PartnerAuthNotice>(r.Document, r.ETag) : null;
    }

    public async Task<bool> TryReplaceNoticeAsync(PartnerAuthNotice notice, string ifMatch, CancellationToken ct) =>
        (await CosmosDocuments.TryReplaceAsync(container, notice, notice.Id, notice.Pk, ifMatch, ct).ConfigureAwait(false)).ETag is not null;
}
