using Ndhm.Analytics;

namespace Ndhm.UnitTests.Analytics;

public sealed class AnalyticsIngestionTests
{
    private static readonly DateOnly Day = new(2026, 11, 5);

    private sealed class PageFeed(params FactPage[] pages) : IAnalyticsFactFeed
    {
        private readonly Queue<FactPage> queue = new(pages);

        public List<FactPage> Checkpointed { get; } = [];

        public Task<IReadOnlyList<string>> RangesAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<string>>(["r1"]);

        public Task<FactPage> ReadAsync(string range, int maxItems, CancellationToken ct) =>
            Task.FromResult(queue.Count > 0 ? queue.Dequeue() : new FactPage(range, [], "end", CaughtUp: true));

        public Task CheckpointAsync(FactPage page, CancellationToken ct)
        {
            Checkpointed.Add(page);
            return Task.CompletedTask;
        }
    }

    private static FactPage Page(long firstPosition, params AnalyticsFact[] facts) =>
        new("r1", facts.Select((f, i) => (firstPosition + i, f)).ToList(), "c" + firstPosition, CaughtUp: false);

    [Fact]
    public async Task GivenAPageOfEventsOverThreeSlices_WhenApplied_ThenEachSliceIsWrittenOnceAndEveryEventCounted()
    {
        var store = new InMemorySliceStore();
        var ingestion = new AnalyticsIngestion(new PageFeed(), store, AnalyticsRig.Definitions);
        var facts = Enumerable.Range(0, 30).Select(i => AnalyticsRig.Fact("f" + i, Day, district: (i % 3 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var result = await ingestion.ApplyAsync(Page(1, facts), CancellationToken.None);

        Assert.Equal(30, result.Events);
        Assert.Equal(3, result.Writes);
        Assert.Equal(3, store.Writes);
        Assert.Equal(30, store.All.Sum(s => s.Cells.Values.Sum(c => c.Count)));
    }

    [Fact]
    public async Task GivenEventsArrivingOneAtATime_WhenApplied_ThenEachEventCostsExactlyOneAggregateWrite()
    {
        var store = new InMemorySliceStore();
        var ingestion = new AnalyticsIngestion(new PageFeed(), store, AnalyticsRig.Definitions);

        for (var i = 0; i < 12; i++)
        {
            await ingestion.ApplyAsync(Page(i + 1, AnalyticsRig.Fact("f" + i, Day, ageBand: i % 2 == 0 ? "30-44" : "45-59")), CancellationToken.None);
        }

        Assert.Equal(12, store.Writes);
        Assert.Equal(12, store.All.Single().Cells.Values.Sum(c => c.Count));
    }

    [Fact]
    public async Task GivenAPageRedeliveredAfterACrashBeforeTheCheckpoint_WhenAppliedAgain_ThenNothingIsWrittenOrCountedTwice()
    {
        var store = new InMemorySliceStore();
        var ingestion = new AnalyticsIngestion(new PageFeed(), store, AnalyticsRig.Definitions);
        var page = Page(100, Enumerable.Range(0, 20).Select(i => AnalyticsRig.Fact("f" + i, Day.AddDays(i % 2))).ToArray());
        await ingestion.ApplyAsync(page, CancellationToken.None);
        var writesBefore = store.Writes;

        var again = await ingestion.ApplyAsync(page, CancellationToken.None);

        Assert.Equal(0, again.Writes);
        Assert.Equal(writesBefore, store.Writes);
        Assert.Equal(20, store.All.Sum(s => s.Cells.Values.Sum(c => c.Count)));
    }

    [Fact]
    public async Task GivenAPageHalfOfWhichWasWritten_WhenRedeliveredWithLaterEvents_ThenOnlyTheNewEventsAreAdded()
    {
        var store = new InMemorySliceStore();
        var ingestion = new AnalyticsIngestion(new PageFeed(), store, AnalyticsRig.Definitions);
        await ingestion.ApplyAsync(Page(1, AnalyticsRig.Fact("a", Day), AnalyticsRig.Fact("b", Day)), CancellationToken.None);

        await ingestion.ApplyAsync(Page(1, AnalyticsRig.Fact("a", Day), AnalyticsRig.Fact("b", Day), AnalyticsRig.Fact("c", Day)), CancellationToken.None);

        Assert.Equal(3, store.All.Single().Cells.Values.Single().Count);
    }

    [Fact]
    public async Task GivenAFeedWithTwoPages_WhenRun_ThenBothAreFoldedInAndCheckpointedInOrder()
    {
        var feed = new PageFeed(Page(1, AnalyticsRig.Fact("a", Day)), Page(2, AnalyticsRig.Fact("b", Day)));
        var store = new InMemorySliceStore();

        var result = await new AnalyticsIngestion(feed, store, AnalyticsRig.Definitions).RunAsync(10, CancellationToken.None);

        Assert.Equal(new IngestionResult(2, 2), result);
        Assert.Equal(["c1", "c2", "end"], feed.Checkpointed.Select(p => p.Continuation));
    }

    [Fact]
    public void GivenAFactWithFreeTextAndAnUnknownDimension_WhenNormalised_ThenOnlyCodesTheDefinitionsAcceptAreKept()
    {
        var fact = new AnalyticsFact("f", "consent-requests", Day, new Dictionary<string, string?>
        {
            ["state"] = "Maharashtra, near the temple", ["district"] = "1", ["gender"] = "F", ["name"] = "Asha Rao", ["purpose"] = "CAREMGT",
        }, FacilityId: "IN 001 <script>");

        var normalised = fact.Normalise(AnalyticsRig.Definitions)!;

        Assert.Equal("unknown", normalised.Slice.State);
        Assert.Equal("unknown|unknown|F|CAREMGT|unknown", normalised.Cell);
        Assert.Null(normalised.Facility);
        Assert.DoesNotContain("Asha", System.Text.Json.JsonSerializer.Serialize(normalised), StringComparison.Ordinal);
    }
}
