using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.Cosmos;

/// <summary>Restarts its own emulator, so it does not share the collection's.</summary>
public sealed class CosmosPersistenceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private CosmosEmulatorProcess _emulator = null!;

    public async Task InitializeAsync() => _emulator = await CosmosEmulatorProcess.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task DatabasesContainersItemsAndETags_SurviveARestart()
    {
        string oldETag, currentETag, feedToken;
        using (var client = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint))
        {
            var database = (await client.CreateDatabaseIfNotExistsAsync("persisted")).Database;
            var container = (await database.CreateContainerAsync(new ContainerProperties("items", "/pk") { DefaultTimeToLive = -1 })).Container;
            await container.SeedAsync(Enumerable.Range(0, 5).Select(i => new TestItem($"i{i}", $"p{i % 2}", i)));
            oldETag = (await container.ReadItemAsync<TestItem>("i0", new PartitionKey("p0"))).ETag;
            currentETag = (await container.ReplaceItemAsync(new TestItem("i0", "p0", 100), "i0", new PartitionKey("p0"))).ETag;
            using var feed = container.GetChangeFeedIterator<TestItem>(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion);
            ResponseMessageLike page;
            do
            {
                var response = await feed.ReadNextAsync();
                page = new(response.StatusCode, response.ContinuationToken);
            }
            while (page.Status != HttpStatusCode.NotModified);
            feedToken = page.Continuation;
        }

        await _emulator.RestartAsync();

        using var restarted = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint);
        var items = restarted.GetContainer("persisted", "items");
        var properties = (await items.ReadContainerAsync()).Resource;
        var read = await items.ReadItemAsync<TestItem>("i0", new PartitionKey("p0"));
        var all = await items.GetItemQueryIterator<TestItem>("SELECT * FROM c").ReadAllAsync();
        var stale = await Assert.ThrowsAsync<CosmosException>(() => items.ReplaceItemAsync(
            new TestItem("i0", "p0", 200), "i0", new PartitionKey("p0"), new ItemRequestOptions { IfMatchEtag = oldETag }));
        var fresh = await items.ReplaceItemAsync(
            new TestItem("i0", "p0", 300), "i0", new PartitionKey("p0"), new ItemRequestOptions { IfMatchEtag = currentETag });
        await items.CreateItemAsync(new TestItem("after", "p1", 6), new PartitionKey("p1"));
        using var resumedFeed = items.GetChangeFeedIterator<TestItem>(
            ChangeFeedStartFrom.ContinuationToken(feedToken), ChangeFeedMode.LatestVersion);
        var changes = await resumedFeed.ReadNextAsync();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Contains("stopped on SIGTERM, data flushed", _emulator.Output, StringComparison.Ordinal); // graceful, not killed
        }

        Assert.Equal("/pk", properties.PartitionKeyPath);
        Assert.Equal(-1, properties.DefaultTimeToLive);
        Assert.Equal(100, read.Resource.N);
        Assert.Equal(currentETag, read.ETag);
        Assert.Equal(5, all.Count);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(300, fresh.Resource.N);
        Assert.Equal(["i0", "after"], changes.Select(i => i.Id)); // only what changed after the restart
    }

    [Fact]
    public async Task NewItemsAfterRestart_DoNotCollideWithRestoredOnes()
    {
        using (var client = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint))
        {
            var database = (await client.CreateDatabaseIfNotExistsAsync("rids")).Database;
            var container = (await database.CreateContainerAsync(new ContainerProperties("items", "/pk"))).Container;
            await container.SeedAsync([new TestItem("a", "p1", 1), new TestItem("b", "p1", 2)]);
        }

        await _emulator.RestartAsync();

        using var restarted = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint);
        var items = restarted.GetContainer("rids", "items");
        await items.CreateItemAsync(new TestItem("c", "p1", 3), new PartitionKey("p1"));
        var all = await items.GetItemQueryIterator<TestItem>("SELECT * FROM c").ReadAllAsync();

        Assert.Equal(["a", "b", "c"], all.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task Writes_ReachDiskWithinTheDebounceWindow_AndSurviveACrash()
    {
        var stateFile = Path.Combine(_emulator.DataDirectory, "cosmos-state.json");
        using (var client = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint))
        {
            var database = (await client.CreateDatabaseIfNotExistsAsync("crash")).Database;
            var container = (await database.CreateContainerAsync(new ContainerProperties("items", "/pk"))).Container;
            await container.CreateItemAsync(new TestItem("saved-before-crash", "p1", 1), new PartitionKey("p1"));
        }

        // The emulator promises a flush at most 2 s after the first unsaved write.
        var onDisk = await CosmosTestHelpers.EventuallyAsync(
            () => Task.FromResult(File.Exists(stateFile) && File.ReadAllText(stateFile).Contains("saved-before-crash", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(4));
        await _emulator.CrashAndRestartAsync();
        using var restarted = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint);
        var read = await restarted.GetContainer("crash", "items").ReadItemAsync<TestItem>("saved-before-crash", new PartitionKey("p1"));

        Assert.True(onDisk, "the write was not on disk within 4 s");
        Assert.Equal(1, read.Resource.N);
        Assert.Empty(Directory.GetFiles(_emulator.DataDirectory, "*.tmp"));
    }

    [Fact]
    public async Task RequestsAfterTheEmulatorStops_FailWithinSeconds()
    {
        using var client = CosmosEmulatorFixture.CreateClient(_emulator.Endpoint);
        var database = (await client.CreateDatabaseIfNotExistsAsync("dead")).Database;
        var container = (await database.CreateContainerAsync(new ContainerProperties("items", "/pk"))).Container;
        await container.CreateItemAsync(new TestItem("a", "p1", 1), new PartitionKey("p1"));
        await _emulator.StopAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Record.ExceptionAsync(() => container.ReadItemAsync<TestItem>("a", new PartitionKey("p1")));
        output.WriteLine($"failed after {clock.ElapsedMilliseconds} ms with {error?.GetType().Name}");

        Assert.NotNull(error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public void MissingNodeModules_FailsWithTheCommandToRun()
    {
        var emptyFolder = Directory.CreateTempSubdirectory("ndhm-no-node-modules-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => CosmosEmulatorProcess.EnsurePackagesInstalled(emptyFolder));

            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(emptyFolder);
        }
    }

    private readonly record struct ResponseMessageLike(HttpStatusCode Status, string Continuation);
}
