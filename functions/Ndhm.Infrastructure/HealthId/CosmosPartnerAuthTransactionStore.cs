using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>Partner-auth transactions in the <c>otp</c> container (id = pk = <c>partner-auth:</c> + transaction id; own <c>ttl</c>).</summary>
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
}
