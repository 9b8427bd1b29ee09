using System.Net;
using Microsoft.Azure.Cosmos;

namespace Ndhm.IntegrationTests.Cosmos;

[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosPointOperationTests(CosmosEmulatorFixture fixture)
{
    [Fact]
    public async Task PointReadOfMissingItem_Returns404()
    {
        var container = await fixture.CreateContainerAsync();

        var error = await Assert.ThrowsAsync<CosmosException>(
            () => container.ReadItemAsync<TestItem>("missing", new PartitionKey("p1")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task PointReadWithWrongPartitionKey_Returns404()
    {
        var container = await fixture.CreateContainerAsync();
        await container.CreateItemAsync(new TestItem("a", "p1", 1), new PartitionKey("p1"));

        var error = await Assert.ThrowsAsync<CosmosException>(
            () => container.ReadItemAsync<TestItem>("a", new PartitionKey("p2")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ReplaceOfMissingItem_Returns404()
    {
        var container = await fixture.CreateContainerAsync();

        var error = await Assert.ThrowsAsync<CosmosException>(
            () => container.ReplaceItemAsync(new TestItem("missing", "p1", 1), "missing", new PartitionKey("p1")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task DeleteOfMissingItem_Returns404()
    {
        var container = await fixture.CreateContainerAsync();

        var error = await Assert.ThrowsAsync<CosmosException>(
            () => container.DeleteItemAsync<TestItem>("missing", new PartitionKey("p1")));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task MissingItem_StreamRead_CarriesCosmosErrorBody()
    {
        var container = await fixture.CreateContainerAsync();

        using var response = await container.ReadItemStreamAsync("missing", new PartitionKey("p1"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Resource Not Found", response.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateReadReplaceDelete_RoundTripWithPlatformJson()
    {
        var container = await fixture.CreateContainerAsync();

        var created = await container.CreateItemAsync(new TestItem("a", "p1", 1, "first"), new PartitionKey("p1"));
        var read = await container.ReadItemAsync<TestItem>("a", new PartitionKey("p1"));
        var replaced = await container.ReplaceItemAsync(read.Resource with { Name = "second" }, "a", new PartitionKey("p1"));
        var deleted = await container.DeleteItemAsync<TestItem>("a", new PartitionKey("p1"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(new TestItem("a", "p1", 1, "first"), read.Resource);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal("second", replaced.Resource.Name);
        Assert.NotEqual(read.ETag, replaced.ETag);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task ConcurrentReplaceWithStaleETag_Returns412()
    {
        var container = await fixture.CreateContainerAsync();
        var original = await container.CreateItemAsync(new TestItem("a", "p1", 1), new PartitionKey("p1"));
        var staleETag = original.ETag;
        await container.ReplaceItemAsync(original.Resource with { N = 2 }, "a", new PartitionKey("p1"),
            new ItemRequestOptions { IfMatchEtag = staleETag });

        var error = await Assert.ThrowsAsync<CosmosException>(() => container.ReplaceItemAsync(
            original.Resource with { N = 3 }, "a", new PartitionKey("p1"), new ItemRequestOptions { IfMatchEtag = staleETag }));

        Assert.Equal(HttpStatusCode.PreconditionFailed, error.StatusCode);
        var current = await container.ReadItemAsync<TestItem>("a", new PartitionKey("p1"));
        Assert.Equal(2, current.Resource.N);
    }

    [Fact]
    public async Task CreateOfExistingId_Returns409()
    {
        var container = await fixture.CreateContainerAsync();
        await container.CreateItemAsync(new TestItem("a", "p1", 1), new PartitionKey("p1"));

        var error = await Assert.ThrowsAsync<CosmosException>(
            () => container.CreateItemAsync(new TestItem("a", "p1", 2), new PartitionKey("p1")));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
    }
}
