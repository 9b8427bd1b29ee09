using System.Net;
using Microsoft.Azure.Cosmos;

namespace Ndhm.IntegrationTests.Cosmos;

[Collection(CosmosEmulatorCollection.Name)]
public sealed class CosmosChangeFeedTests(CosmosEmulatorFixture fixture)
{
    /// <summary>Reads pages until the feed answers 304 (caught up); returns the items and the token to resume.</summary>
    private static async Task<(List<TestItem> Items, string Continuation)> DrainAsync(FeedIterator<TestItem> iterator)
    {
        var items = new List<TestItem>();
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await iterator.ReadNextAsync();
            if (page.StatusCode == HttpStatusCode.NotModified)
            {
                return (items, page.ContinuationToken);
            }

            items.AddRange(page);
        }

        throw new InvalidOperationException("The change feed never caught up.");
    }

    public static TheoryData<string> Modes => new() { "Incremental", "LatestVersion" };

#pragma warning disable CS0618 // ChangeFeedMode.Incremental is the older name of LatestVersion; both must work
    private static ChangeFeedMode ModeOf(string name) =>
        name == "Incremental" ? ChangeFeedMode.Incremental : ChangeFeedMode.LatestVersion;
#pragma warning restore CS0618

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task ChangeFeedFromBeginning_ReturnsEveryItemThenNotModified_ThenOnlyLaterChanges(string mode)
    {
        var container = await fixture.CreateContainerAsync();
        await container.SeedAsync([new TestItem("a", "p1", 1), new TestItem("b", "p2", 2)]);
        using var iterator = container.GetChangeFeedIterator<TestItem>(ChangeFeedStartFrom.Beginning(), ModeOf(mode));

        var (first, _) = await DrainAsync(iterator);
        await container.UpsertItemAsync(new TestItem("a", "p1", 10), new PartitionKey("p1"));
        await container.CreateItemAsync(new TestItem("c", "p3", 3), new PartitionKey("p3"));
        var (second, _) = await DrainAsync(iterator);

        Assert.Equal(["a", "b"], first.Select(i => i.Id).Order());
        Assert.Equal(["a", "c"], second.Select(i => i.Id).Order());
        Assert.Equal(10, second.Single(i => i.Id == "a").N);
    }

    [Fact]
    public async Task ChangeFeedFromNow_SeesOnlyWritesMadeAfterIt()
    {
        var container = await fixture.CreateContainerAsync();
        await container.SeedAsync([new TestItem("old", "p1", 1)]);
        using var iterator = container.GetChangeFeedIterator<TestItem>(ChangeFeedStartFrom.Now(), ChangeFeedMode.LatestVersion);

        var (before, _) = await DrainAsync(iterator);
        await container.CreateItemAsync(new TestItem("new", "p1", 2), new PartitionKey("p1"));
        var (after, _) = await DrainAsync(iterator);

        Assert.Empty(before);
        Assert.Equal("new", Assert.Single(after).Id);
    }

    [Fact]
    public async Task ChangeFeedContinuationToken_ResumesInANewIterator()
    {
        var container = await fixture.CreateContainerAsync();
        await container.SeedAsync([new TestItem("a", "p1", 1)]);
        string token;
        using (var first = container.GetChangeFeedIterator<TestItem>(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion))
        {
            (_, token) = await DrainAsync(first);
        }

        await container.CreateItemAsync(new TestItem("b", "p1", 2), new PartitionKey("p1"));
        using var resumed = container.GetChangeFeedIterator<TestItem>(
            ChangeFeedStartFrom.ContinuationToken(token), ChangeFeedMode.LatestVersion);
        var (items, _) = await DrainAsync(resumed);

        Assert.Equal("b", Assert.Single(items).Id);
    }

    [Fact]
    public async Task ChangeFeedWithPageSize_ReturnsEveryChangeOnceAcrossPages()
    {
        var container = await fixture.CreateContainerAsync();
        await container.SeedAsync(Enumerable.Range(0, 7).Select(i => new TestItem($"i{i}", $"p{i % 2}", i)));
        using var iterator = container.GetChangeFeedIterator<TestItem>(
            ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = 3 });

        var (items, _) = await DrainAsync(iterator);

        Assert.Equal(Enumerable.Range(0, 7), items.Select(i => i.N));
    }

    [Fact]
    public async Task ChangeFeedForOnePartitionKey_ReturnsOnlyThatPartition()
    {
        var container = await fixture.CreateContainerAsync();
        await container.SeedAsync([new TestItem("a", "p1", 1), new TestItem("b", "p2", 2), new TestItem("c", "p1", 3)]);
        using var iterator = container.GetChangeFeedIterator<TestItem>(
            ChangeFeedStartFrom.Beginning(FeedRange.FromPartitionKey(new PartitionKey("p1"))), ChangeFeedMode.LatestVersion);

        var (items, _) = await DrainAsync(iterator);

        Assert.Equal(["a", "c"], items.Select(i => i.Id));
    }
}
