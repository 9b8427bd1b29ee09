using Microsoft.Azure.Cosmos;
using Ndhm.HealthId;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>OTP transactions in the <c>otp</c> container (id = pk = txnId, the document's own <c>ttl</c>).</summary>
public sealed class CosmosOtpTransactionStore(CosmosClient client, CosmosSettings settings) : IOtpTransactionStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Otp.Name);

    public async Task<Stored<OtpTransaction>?> FindAsync(string txnId, CancellationToken ct)
    {
        var read = await CosmosHealthIdErrors.ReadWithETagAsync<OtpTransaction>(container, txnId, ct).ConfigureAwait(false);
        return read is { } r ? new Stored<OtpTransaction>(r.Document, r.ETag) : null;
    }

    public Task<string> CreateAsync(OtpTransaction transaction, CancellationToken ct) =>
        CosmosHealthIdErrors.CreateAsync(container, transaction, transaction.Id, ct);

    public Task<string> ReplaceAsync(OtpTransaction transaction, string ifMatch, CancellationToken ct) =>
        CosmosHealthIdErrors.ReplaceAsync(container, transaction, transaction.Id, ifMatch, ct);
}

/// <summary>Per-mobile rate windows in the <c>otp</c> container (id = pk = mobile hash, own <c>ttl</c>).</summary>
public sealed class CosmosMobileOtpWindowStore(CosmosClient client, CosmosSettings settings) : IMobileOtpWindowStore
{
    private readonly Container container = client.GetContainer(settings.Database, CosmosContainers.Otp.Name);

    public async Task<Stored<MobileOtpWindow>?> FindAsync(string mobileHash, CancellationToken ct)
    {
        var read = await CosmosHealthIdErrors.ReadWithETagAsync<MobileOtpWindow>(container, mobileHash, ct).ConfigureAwait(false);
        return read is { } r ? new Stored<MobileOtpWindow>(r.Document, r.ETag) : null;
    }

    public async Task<string> SaveAsync(MobileOtpWindow window, string? ifMatch, CancellationToken ct)
    {
        if (ifMatch is not null)
            return await CosmosHealthIdErrors.ReplaceAsync(container, window, window.Id, ifMatch, ct).ConfigureAwait(false);
        try
        {
            return await CosmosHealthIdErrors.CreateAsync(container, window, window.Id, ct).ConfigureAwait(false);
        }
        catch (Ndhm.Core.Errors.DomainException e) when (e.Kind == Ndhm.Core.Errors.ErrorKind.Conflict)
        {
            throw CosmosHealthIdErrors.ConcurrentUpdate();
        }
    }
}
