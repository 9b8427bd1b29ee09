using System.Collections.Concurrent;
using Ndhm.Analytics;

namespace Ndhm.UnitTests.Analytics.Sources;

/// <summary>The outbox as the Cosmos adapter behaves: create-only by fact id; counts every attempt; can be made to fail.</summary>
internal sealed class RecordingFacts : IAnalyticsFacts
{
    public ConcurrentDictionary<string, AnalyticsFact> Stored { get; } = new(StringComparer.Ordinal);

    public int Attempts { get; private set; }

    public bool Failing { get; set; }

    public Task RecordAsync(AnalyticsFact fact, CancellationToken ct)
    {
        Attempts++;
        if (Failing) throw new InvalidOperationException("the fact store is down");
        Stored.TryAdd(fact.Id, fact);
        return Task.CompletedTask;
    }

    public IReadOnlyList<AnalyticsFact> Of(string measure) => Stored.Values.Where(f => f.Measure == measure).ToList();

    /// <summary>What the aggregates would store: a fact must normalise, and no dimension may be one the definitions lack.</summary>
    public static NormalisedFact Normalised(AnalyticsFact fact)
    {
        var normalised = fact.Normalise(AnalyticsDefinitions.Default);
        Assert.NotNull(normalised);
        var known = AnalyticsDefinitions.Default.Measure(fact.Measure)!.AllDimensions.Select(d => d.Name).ToHashSet();
        Assert.All(fact.Dimensions.Keys, k => Assert.Contains(k, known));
        return normalised!;
    }
}
