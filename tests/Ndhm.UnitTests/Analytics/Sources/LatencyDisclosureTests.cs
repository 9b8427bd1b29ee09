using Ndhm.Analytics;
using Ndhm.Infrastructure.Analytics;

namespace Ndhm.UnitTests.Analytics.Sources;

/// <summary>Measures with a value (transfer latency, order turnaround): only a released block's mean, never one event's value.</summary>
public sealed class LatencyDisclosureTests
{
    private static readonly DateOnly Nov = new(2026, 11, 2);

    private static AnalyticsFact Transfer(int n, DateOnly day, string outcome, double latencyMs) =>
        new(AnalyticsFactIds.For(TransferFacts.Measure, "t" + n), TransferFacts.Measure, day,
            new Dictionary<string, string?> { ["outcome"] = outcome }, Value: latencyMs);

    private static AnalyticsResult Answer(IEnumerable<AnalyticsFact> facts, string[] groupBy)
    {
        var definitions = AnalyticsDefinitions.Default;
        var slices = new Dictionary<SliceKey, AggregateSlice>();
        var position = 0L;
        foreach (var fact in facts)
        {
            var normalised = fact.Normalise(definitions)!;
            if (!slices.TryGetValue(normalised.Slice, out var slice)) slices[normalised.Slice] = slice = AggregateSlice.Empty(normalised.Slice);
            slice.Apply("r", ++position, normalised);
        }

        var query = new AnalyticsQuery(definitions.Measure(TransferFacts.Measure)!, groupBy, new Dictionary<string, string>(), new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30), PeriodGrain.Day);
        return AnalyticsTable.Answer(query, DisclosureControl.Units(slices.Values, 10), 10);
    }

    [Fact]
    public void GivenTwelveTransfersAndOneSlowFailure_WhenAnswered_ThenTheMeanIsTheTwelvesAndTheFailuresLatencyAppearsNowhere()
    {
        var facts = Enumerable.Range(0, 12).Select(i => Transfer(i, Nov, "TRANSFERRED", 1000 + i * 100))
            .Append(Transfer(99, Nov, "FAILED", 987_654)).ToList();

        var byOutcome = Answer(facts, ["outcome"]);
        var all = Answer(facts, []);

        var row = Assert.Single(byOutcome.Rows);
        Assert.Equal(("TRANSFERRED", 12L, 1550d), (row.Dimensions["outcome"], row.Count, row.Mean));
        Assert.Equal((12L, 1550d), (Assert.Single(all.Rows).Count, all.Rows[0].Mean));
    }

    [Fact]
    public void GivenSmallDaysPooledIntoAWeek_WhenAnswered_ThenOnlyTheWeeksMeanIsReleased_NotADaysMean()
    {
        var facts = Enumerable.Range(0, 4).Select(i => Transfer(i, Nov, "TRANSFERRED", 1000))
            .Concat(Enumerable.Range(4, 6).Select(i => Transfer(i, Nov.AddDays(2), "TRANSFERRED", 4000))).ToList();

        var row = Assert.Single(Answer(facts, []).Rows);

        Assert.Equal((PeriodGrain.Week, 10L, 2800d), (row.Grain, row.Count, row.Mean));
    }
}
