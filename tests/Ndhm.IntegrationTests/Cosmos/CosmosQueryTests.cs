using Microsoft.Azure.Cosmos;

namespace Ndhm.IntegrationTests.Cosmos;

[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosQueryTests(CosmosEmulatorFixture fixture)
{
    // Ten items over three partitions, N = 0..9.
    private static IEnumerable<TestItem> TenItems() =>
        Enumerable.Range(0, 10).Select(i => new TestItem($"item-{i}", $"p{i % 3}", i));

    private async Task<Container> SeededContainerAsync()
    {
        var container = await fixture.CreateContainerAsync();
        await container.SeedAsync(TenItems());
        return container;
    }

    [Fact]
    public async Task CrossPartitionQuery_ReturnsItemsOfEveryPartition()
    {
        var container = await SeededContainerAsync();

        var items = await container.GetItemQueryIterator<TestItem>("SELECT * FROM c").ReadAllAsync();

        Assert.Equal(10, items.Count);
        Assert.Equal(["p0", "p1", "p2"], items.Select(i => i.Pk).Distinct().Order());
    }

    [Fact]
    public async Task OrderByQuery_ReturnsItemsInThatOrder()
    {
        var container = await SeededContainerAsync();

        var items = await container.GetItemQueryIterator<TestItem>("SELECT * FROM c ORDER BY c.n DESC").ReadAllAsync();

        Assert.Equal(Enumerable.Range(0, 10).Reverse(), items.Select(i => i.N));
    }

    [Fact]
    public async Task TopQuery_ReturnsOnlyTheFirstItems()
    {
        var container = await SeededContainerAsync();

        var items = await container.GetItemQueryIterator<TestItem>("SELECT TOP 3 * FROM c ORDER BY c.n").ReadAllAsync();

        Assert.Equal([0, 1, 2], items.Select(i => i.N));
    }

    [Fact]
    public async Task CountQuery_ReturnsTheNumberOfItems()
    {
        var container = await SeededContainerAsync();

        var counts = await container.GetItemQueryIterator<int>("SELECT VALUE COUNT(1) FROM c").ReadAllAsync();

        Assert.Equal(10, Assert.Single(counts));
    }

    [Fact]
    public async Task OffsetLimitQuery_ReturnsTheRequestedSlice()
    {
        var container = await SeededContainerAsync();

        var items = await container.GetItemQueryIterator<TestItem>(
            "SELECT * FROM c ORDER BY c.n OFFSET 4 LIMIT 3").ReadAllAsync();

        Assert.Equal([4, 5, 6], items.Select(i => i.N));
    }

    [Fact]
    public async Task OffsetLimitWithParameters_PagesThroughTheSliceOnly()
    {
        var container = await SeededContainerAsync();
        var query = new QueryDefinition("SELECT * FROM c ORDER BY c.n DESC OFFSET @skip LIMIT @take")
            .WithParameter("@skip", 2)
            .WithParameter("@take", 5);

        var items = await container.GetItemQueryIterator<TestItem>(query, requestOptions: new QueryRequestOptions { MaxItemCount = 2 })
            .ReadAllAsync();

        Assert.Equal([7, 6, 5, 4, 3], items.Select(i => i.N));
    }

    [Fact]
    public async Task DistinctQuery_ReturnsEachValueOnce_AcrossPages()
    {
        var container = await SeededContainerAsync();

        var partitions = await container.GetItemQueryIterator<string>(
            "SELECT DISTINCT VALUE c.pk FROM c",
            requestOptions: new QueryRequestOptions { MaxItemCount = 1 }).ReadAllAsync();

        Assert.Equal(["p0", "p1", "p2"], partitions.Order());
    }

    [Fact]
    public async Task ParameterisedQuery_FiltersOnParameters()
    {
        var container = await SeededContainerAsync();
        var query = new QueryDefinition("SELECT * FROM c WHERE c.n >= @min").WithParameter("@min", 7);

        var items = await container.GetItemQueryIterator<TestItem>(query).ReadAllAsync();

        Assert.Equal([7, 8, 9], items.Select(i => i.N).Order());
    }

    [Fact]
    public async Task QueryWithPartitionKeyOption_ReturnsOnlyThatPartition_EvenWithoutPkFilterInSql()
    {
        var container = await SeededContainerAsync();

        var items = await container.GetItemQueryIterator<TestItem>(
            "SELECT * FROM c",
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("p1") }).ReadAllAsync();

        Assert.Equal([1, 4, 7], items.Select(i => i.N).Order());
    }

    [Fact]
    public async Task CountWithPartitionKeyOption_CountsOnlyThatPartition()
    {
        var container = await SeededContainerAsync();

        var counts = await container.GetItemQueryIterator<int>(
            "SELECT VALUE COUNT(1) FROM c",
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey("p0") }).ReadAllAsync();

        Assert.Equal(4, Assert.Single(counts));
    }

    [Theory]
    [InlineData("SELECT * FROM c")]
    [InlineData("SELECT * FROM c ORDER BY c.n")]
    public async Task PagingWithContinuationTokens_VisitsEveryItemExactlyOnce(string sql)
    {
        var container = await SeededContainerAsync();
        var options = new QueryRequestOptions { MaxItemCount = 3 };
        var seen = new List<int>();
        string? continuation = null;
        var pages = 0;

        do
        {
            // A new iterator per page, resumed from the token, as an API handing tokens to its callers does.
            using var iterator = container.GetItemQueryIterator<TestItem>(sql, continuation, options);
            var page = await iterator.ReadNextAsync();
            seen.AddRange(page.Select(i => i.N));
            continuation = page.ContinuationToken;
            pages++;
            Assert.True(page.Count <= 3);
        }
        while (continuation is not null && pages < 20);

        Assert.Equal(Enumerable.Range(0, 10), seen.Order());
        Assert.True(pages >= 4, $"expected at least 4 pages of 3, got {pages}");
    }

    [Fact]
    public async Task PagingWithinOnePartition_VisitsEveryItemOfItOnce()
    {
        var container = await SeededContainerAsync();
        var options = new QueryRequestOptions { MaxItemCount = 2, PartitionKey = new PartitionKey("p0") };

        var items = await container.GetItemQueryIterator<TestItem>("SELECT * FROM c", requestOptions: options).ReadAllAsync();

        Assert.Equal([0, 3, 6, 9], items.Select(i => i.N).Order());
    }

    [Fact]
    public async Task QueryWithSyntaxError_Returns400()
    {
        var container = await SeededContainerAsync();

        var error = await Assert.ThrowsAsync<CosmosException>(
            () => container.GetItemQueryIterator<TestItem>("SELEC * FROM c").ReadAllAsync());

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }
}
