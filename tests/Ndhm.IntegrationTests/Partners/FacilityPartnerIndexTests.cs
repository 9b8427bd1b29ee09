using Microsoft.Azure.Cosmos;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.DataTransfer;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Infrastructure.Linking;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Partners;

/// <summary>
/// Routing by facility on a platform with more partners than any list returns: 1,001 partners sort before the HIP
/// that serves the facility (so a bounded list of 1,000 never sees it), in a database of this class's own on the
/// run's emulator. The per-facility index still routes consent notifications, data-transfer requests and HIP lookups.
/// </summary>
public sealed class FacilityPartnerIndexTests : IAsyncLifetime
{
    private const int Crowd = 1001;
    private readonly CosmosSettings settings = SandboxCosmos.Settings with { Database = TestRun.CosmosDatabase + "-pidx" };
    private CosmosClient client = null!;

    public async Task InitializeAsync()
    {
        client = CosmosClientFactory.Create(settings);
        var database = (await client.CreateDatabaseIfNotExistsAsync(settings.Database)).Database;
        await database.CreateContainerIfNotExistsAsync(new ContainerProperties(CosmosContainers.Registry.Name, CosmosContainers.PartitionKeyPath));
    }

    public async Task DisposeAsync()
    {
        await client.GetDatabase(settings.Database).DeleteAsync();
        client.Dispose();
    }

    private static Partner PartnerFor(string clientId, string role, params string[] facilities) =>
        new(clientId, "Partner " + clientId, [role], new Uri("https://bridge.example/" + clientId), facilities, Active: true,
            new HashedSecret("PBKDF2-SHA256", 1, "c2FsdA==", "aGFzaA=="), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public async Task GivenMoreThanAThousandPartnersSortedBeforeTheHip_WhenRoutingByItsFacility_ThenTheIndexFindsIt_AndFollowsItsChanges()
    {
        var index = new FacilityPartnerIndex(client, settings);
        var store = new CosmosPartnerStore(client, settings, index);
        var facility = "IN29" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var moved = "IN29" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        // The crowd: HIPs of other facilities, plus an inactive HIP and a HIU of this very facility, all sorting first.
        await Parallel.ForEachAsync(Enumerable.Range(0, Crowd), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, ct) => await store.CreateAsync(PartnerFor($"a-crowd-{i:D4}", Roles.Hip, $"IN10{i:D8}"), ct));
        var inactive = await store.CreateAsync(PartnerFor("b-retired-hip", Roles.Hip, facility), default);
        await store.ReplaceAsync(inactive.Value with { Active = false }, inactive.ETag, default);
        await store.CreateAsync(PartnerFor("b-clinic-hiu", Roles.Hiu, facility), default);
        var hip = await store.CreateAsync(PartnerFor("z-city-hospital", Roles.Hip, facility), default);
        var facilityPartners = new IndexedFacilityPartners(index, store);
        var transfer = new GatewayTransferPartners(new CachedPartnerDirectory(store, TimeProvider.System), facilityPartners);
        var hips = new PartnerHipDirectory(new CachedPartnerDirectory(store, TimeProvider.System), facilityPartners);

        var listed = await store.ListAsync(1000, default);
        var serving = await facilityPartners.ServingAsync(facility, Roles.Hip, default);
        var routed = await transfer.PartnerForHipAsync(facility, default);
        var found = await hips.FindAsync(facility, default);

        Assert.DoesNotContain(listed, p => p.ClientId == "z-city-hospital");
        Assert.Equal(["z-city-hospital"], serving.Select(p => p.PartnerId));
        Assert.Equal("z-city-hospital", routed);
        Assert.Equal(new Ndhm.Linking.HipEndpoint(facility, "z-city-hospital"), found);
        Assert.Equal(["b-clinic-hiu"], (await facilityPartners.ServingAsync(facility, Roles.Hiu, default)).Select(p => p.PartnerId));

        // The hospital moves to another facility: the old one has no HIP any more, the new one routes to it.
        await store.ReplaceAsync(hip.Value with { Facilities = [moved] }, hip.ETag, default);

        Assert.Empty(await facilityPartners.ServingAsync(facility, Roles.Hip, default));
        Assert.Equal("z-city-hospital", await transfer.PartnerForHipAsync(moved, default));
        Assert.Equal(["b-clinic-hiu", "b-retired-hip"], await index.ClientIdsAsync(facility, default));
    }

    [Fact]
    public async Task GivenPartnersWrittenBeforeTheIndexExisted_WhenReindexed_ThenTheyAreFoundByFacility_AndAgainChangesNothing()
    {
        var index = new FacilityPartnerIndex(client, settings);
        var store = new CosmosPartnerStore(client, settings, index);
        var facility = "IN27" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        await store.CreateAsync(PartnerFor("legacy-lab-" + facility, Roles.Hip, facility), default);
        await client.GetContainer(settings.Database, CosmosContainers.Registry.Name)
            .DeleteItemAsync<object>(FacilityPartnerIndex.Key(facility), new PartitionKey(FacilityPartnerIndex.Key(facility)));
        var facilityPartners = new IndexedFacilityPartners(index, store);
        Assert.Empty(await facilityPartners.ServingAsync(facility, Roles.Hip, default));

        await store.ReindexFacilitiesAsync(default);
        await store.ReindexFacilitiesAsync(default);

        Assert.Equal(["legacy-lab-" + facility], await index.ClientIdsAsync(facility, default));
        Assert.Equal(["legacy-lab-" + facility], (await facilityPartners.ServingAsync(facility, Roles.Hip, default)).Select(p => p.PartnerId));
    }
}
