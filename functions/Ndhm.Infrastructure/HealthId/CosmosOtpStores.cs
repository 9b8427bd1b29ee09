using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.HealthId;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>OTP transactions in the <c>otp</c> container (id = pk = txnId, the document's own <c>ttl</c>).</summary>
public sealed class CosmosOtpTransactionStore(CosmosClient client, CosmosSettings settings) : IOtpTransactionStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Otp.Name);

    public async Task<Versioned<OtpTransaction>?> FindAsync(string txnId, CancellationToken ct)
    {
        var read = await CosmosDocuments.TryReadAsync<OtpTransaction>(container, txnId, txnId, ct).ConfigureAwait(false);
        return read is { } r ? new Versioned<OtpTransaction>(r.Document, r.ETag) : null;
    }

    public Task<string> CreateAsync(OtpTransaction transaction, CancellationToken ct) =>
        CosmosDocuments.CreateAsync(container, transaction, transaction.Id, CosmosHealthIdErrors.AlreadyExists, ct);

    public Task<string> ReplaceAsync(OtpTransaction transaction, string ifMatch, CancellationToken ct) =>
        CosmosDocuments.ReplaceAsync(container, transaction, transaction.Id, transaction.Id, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate, CosmosHealthIdErrors.ConcurrentUpdate, ct);
}

/// <summary>Per-mobile rate windows in the <c>otp</c> container (id = pk = mobile hash, own <c>ttl</c>).</summary>
public sealed class CosmosMobileOtpWindowStore(CosmosClient client, CosmosSettings settings) : IMobileOtpWindowStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Otp.Name);

    public async Task<Versioned<MobileOtpWindow>?> FindAsync(string mobileHash, CancellationToken ct)
    {
        var read = await CosmosDocuments.TryReadAsync<MobileOtpWindow>(container, mobileHash, mobileHash, ct).ConfigureAwait(false);
        return read is { } r ? new Versioned<MobileOtpWindow>(r.Document, r.ETag) : null;
    }

    public async Task<string> SaveAsync(MobileOtpWindow window, string? ifMatch, CancellationToken ct)
    {
        if (ifMatch is not null)
            return await CosmosDocuments.ReplaceAsync(container, window, window.Id, window.Id, ifMatch, CosmosHealthIdErrors.ConcurrentUpdate, CosmosHealthIdErrors.ConcurrentUpdate, ct).ConfigureAwait(false);
        // Two first requests for one mobile at once: the loser retries against the winner's window.
        return await CosmosDocuments.CreateAsync(container, window, window.Id, CosmosHealthIdErrors.ConcurrentUpdate, ct).ConfigureAwait(false);
    }
}
