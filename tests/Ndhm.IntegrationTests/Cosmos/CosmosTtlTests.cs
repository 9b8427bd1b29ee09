using System.Net;
using Microsoft.Azure.Cosmos;

namespace Ndhm.IntegrationTests.Cosmos;

[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosTtlTests(CosmosEmulatorFixture fixture)
{
    // TTL has one-second resolution (_ts is in seconds): allow a few seconds, poll often.
    private static readonly TimeSpan ExpiryBound = TimeSpan.FromSeconds(6);

    private static async Task<bool> ExistsAsync(Container container, string id, string pk)
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(pk));
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task ItemTtl_InOptInContainer_ExpiresItemFromReadsAndQueries()
    {
        var container = await fixture.CreateContainerAsync(defaultTtlSeconds: -1);
        await container.CreateItemAsync(new TestItem("short", "p1", 1, Ttl: 1), new PartitionKey("p1"));
        await container.CreateItemAsync(new TestItem("forever", "p1", 2), new PartitionKey("p1"));

        var gone = await CosmosTestHelpers.EventuallyAsync(async () => !await ExistsAsync(container, "short", "p1"), ExpiryBound);
        var remaining = await container.GetItemQueryIterator<TestItem>("SELECT * FROM c").ReadAllAsync();

        Assert.True(gone, "the item with ttl=1 was still readable");
        Assert.Equal("forever", Assert.Single(remaining).Id);
    }

    [Fact]
    public async Task ContainerDefaultTtl_ExpiresItemsWithoutTheirOwnTtl_ButNotThoseWithTtlMinusOne()
    {
        var container = await fixture.CreateContainerAsync(defaultTtlSeconds: 1);
        await container.CreateItemAsync(new TestItem("default", "p1", 1), new PartitionKey("p1"));
        await container.CreateItemAsync(new TestItem("pinned", "p1", 2, Ttl: -1), new PartitionKey("p1"));

        var gone = await CosmosTestHelpers.EventuallyAsync(async () => !await ExistsAsync(container, "default", "p1"), ExpiryBound);

        Assert.True(gone, "the item under defaultTtl=1 was still readable");
        Assert.True(await ExistsAsync(container, "pinned", "p1"));
    }

    [Fact]
    public async Task ItemTtl_IsIgnored_WhenContainerTtlIsOff()
    {
        var container = await fixture.CreateContainerAsync(defaultTtlSeconds: null);
        await container.CreateItemAsync(new TestItem("a", "p1", 1, Ttl: 1), new PartitionKey("p1"));

        await Task.Delay(TimeSpan.FromSeconds(2.2));

        Assert.True(await ExistsAsync(container, "a", "p1"));
    }

    [Fact]
    public async Task ExpiredItems_LeaveCountQueries_WithoutBeingRead()
    {
        var container = await fixture.CreateContainerAsync(defaultTtlSeconds: -1);
        await container.SeedAsync(Enumerable.Range(0, 3).Select(i => new TestItem($"t{i}", "p1", i, Ttl: 1)));
        await container.CreateItemAsync(new TestItem("keep", "p1", 9), new PartitionKey("p1"));

        var onlyOneLeft = await CosmosTestHelpers.EventuallyAsync(async () =>
        {
            var counts = await container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c").ReadAllAsync();
            return counts.Single() == 1;
        }, ExpiryBound);

        Assert.True(onlyOneLeft);
    }
}
