using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Security;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Partner refresh-token families in the <c>gateway</c> container (<see cref="CosmosRefreshFamilies"/>): id
/// <c>refresh:&lt;familyId&gt;</c>, pk <c>refresh:&lt;clientId&gt;</c> (a partner's families share a partition).
/// </summary>
public sealed class CosmosRefreshTokenStore(CosmosClient client, CosmosSettings settings, TimeProvider time)
    : CosmosRefreshFamilies(client.GetContainer(settings.Database, CosmosContainers.Gateway.Name),
        key => Partition(key.Owner ?? throw new ArgumentException("A partner's family is found by its client id.")), time), IRefreshTokenStore
{
    public static string Partition(string clientId) => "refresh:" + clientId;

    public Task<Versioned<RefreshFamily>?> GetAsync(string clientId, string familyId, CancellationToken ct) =>
        GetAsync(new RefreshFamilyKey(clientId, familyId), ct);
}
