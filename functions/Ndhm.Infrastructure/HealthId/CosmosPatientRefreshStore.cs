using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Login;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.Security;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// Patient refresh-token families in the <c>otp</c> container (Health ID's short-lived security documents, with TTL):
/// id = pk = <c>refresh:&lt;familyId&gt;</c>, so a refresh is one point read by the family id its token carries.
/// </summary>
public sealed class CosmosPatientRefreshStore(CosmosClient client, CosmosSettings settings, TimeProvider time)
    : CosmosRefreshFamilies(client.GetContainer(settings.Database, CosmosContainers.Otp.Name), key => Id(key.FamilyId), time), IPatientRefreshStore
{
    public Task<Versioned<RefreshFamily>?> GetAsync(string familyId, CancellationToken ct) => GetAsync(new RefreshFamilyKey(null, familyId), ct);
}
