using Ndhm.Analytics;
using Ndhm.Core.Concurrency;

namespace Ndhm.UnitTests.Analytics;

/// <summary>An ETag'd in-memory slice store that counts writes, and helpers to make facts and slices.</summary>
internal sealed class InMemorySliceStore : IAggregateSliceStore
{
    private readonly Dictionary<string, (string Json, string ETag)> slices = new(StringComparer.Ordinal);
    private int version;

    public int Writes { get; private set; }

    public IEnumerable<AggregateSlice> All => slices.Values.Select(v => Deserialize(v.Json));

    public Task<Versioned<AggregateSlice>?> ReadAsync(SliceKey key, CancellationToken ct) =>
        Task.FromResult(slices.TryGetValue(key.Id, out var s) ? new Versioned<AggregateSlice>(Deserialize(s.Json), s.ETag) : null);

    public Task<bool> TryWriteAsync(AggregateSlice slice, string? ifMatch, CancellationToken ct)
    {
        Writes++;
        var exists = slices.TryGetValue(slice.Key.Id, out var current);
        if (ifMatch is null ? exists : !exists || current.ETag != ifMatch)
        {
            return Task.FromResult(false);
        }

        slices[slice.Key.Id] = (System.Text.Json.JsonSerializer.Serialize(slice), "e" + ++version);
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<AggregateSlice>> ReadMonthAsync(string measure, int year, int month, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AggregateSlice>>(All.Where(s => s.Measure == measure && s.Day.Year == year && s.Day.Month == month).ToList());

    private static AggregateSlice Deserialize(string json) => System.Text.Json.JsonSerializer.Deserialize<AggregateSlice>(json)!;
}

internal static class AnalyticsRig
{
    public static readonly AnalyticsDefinitions Definitions = AnalyticsDefinitions.Default;

    public static MeasureDefinition Consents => Definitions.Measure("consent-requests")!;

    public static AnalyticsFact Fact(string id, DateOnly day, string state = "MH", string district = "1", string ageBand = "30-44",
        string gender = "F", string purpose = "CAREMGT", string outcome = "GRANTED", string? facility = "IN001", string facilityType = "hospital") =>
        new(id, "consent-requests", day, new Dictionary<string, string?>
        {
            ["state"] = state, ["district"] = district, ["facilityType"] = facilityType, ["ageBand"] = ageBand, ["gender"] = gender,
            ["purpose"] = purpose, ["outcome"] = outcome,
        }, facility);

    /// <summary>Slices holding <paramref name="events"/> (day, cell values) with <paramref name="count"/> events each.</summary>
    public static List<AggregateSlice> Slices(IEnumerable<(DateOnly Day, string State, string District, string AgeBand, string Gender, int Count)> events)
    {
        var slices = new Dictionary<SliceKey, AggregateSlice>();
        var position = 0L;
        foreach (var e in events)
        {
            for (var i = 0; i < e.Count; i++)
            {
                var fact = Fact("f" + position, e.Day, e.State, e.District, e.AgeBand, e.Gender).Normalise(Definitions)!;
                if (!slices.TryGetValue(fact.Slice, out var slice)) slices[fact.Slice] = slice = AggregateSlice.Empty(fact.Slice);
                slice.Apply("r", ++position, fact);
            }
        }

        return slices.Values.ToList();
    }

    public static AnalyticsQuery Query(DateOnly from, DateOnly to, PeriodGrain grain = PeriodGrain.Day, string[]? groupBy = null,
        Dictionary<string, string>? filters = null) =>
        new(Consents, groupBy ?? [], filters ?? new Dictionary<string, string>(), from, to, grain);

    public static AnalyticsResult Answer(IReadOnlyList<AggregateSlice> slices, AnalyticsQuery query, int threshold = 10) =>
        AnalyticsTable.Answer(query, slices.GroupBy(s => (s.Day.Year, s.Day.Month)).SelectMany(m => DisclosureControl.Units(m, threshold)), threshold);
}
