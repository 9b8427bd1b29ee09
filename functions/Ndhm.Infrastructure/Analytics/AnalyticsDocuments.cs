using System.Globalization;
using System.Text.Json.Serialization;
using Ndhm.Analytics;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>A fact in the <c>analytics-facts</c> outbox: its own partition, expiring after <see cref="TtlSeconds"/>.</summary>
internal sealed record FactDocument(string Id, string Pk, string Measure, string Day, Dictionary<string, string?> Dimensions,
    string? FacilityId, double? Value, int Ttl)
{
    /// <summary>Long enough for the processor to catch up after any outage worth planning for.</summary>
    public const int TtlSeconds = 30 * 24 * 3600;

    [JsonPropertyName("_lsn")]
    public long Lsn { get; init; }

    public static FactDocument From(AnalyticsFact fact) =>
        new(fact.Id, fact.Id, fact.Measure, fact.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            fact.Dimensions.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), fact.FacilityId, fact.Value, TtlSeconds);

    public AnalyticsFact ToFact() =>
        new(Id, Measure, DateOnly.ParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), Dimensions, FacilityId, Value);
}

/// <summary>An aggregate slice as stored in the <c>analytics</c> container (partition: the measure's month).</summary>
internal sealed record SliceDocument(string Id, string Pk, string DocType, string Measure, DateOnly Day, string State, string District,
    Dictionary<string, AggregateCell> Cells, Dictionary<string, long> Facilities, Dictionary<string, long> Watermarks)
{
    public const string Type = "slice";

    public static SliceDocument From(AggregateSlice s) =>
        new(s.Key.Id, s.Key.PartitionKey, Type, s.Measure, s.Day, s.State, s.District, s.Cells, s.Facilities, s.Watermarks);

    public AggregateSlice ToSlice() => new()
    {
        Measure = Measure, Day = Day, State = State, District = District,
        Cells = new Dictionary<string, AggregateCell>(Cells, StringComparer.Ordinal),
        Facilities = new Dictionary<string, long>(Facilities, StringComparer.Ordinal),
        Watermarks = new Dictionary<string, long>(Watermarks, StringComparer.Ordinal),
    };
}

/// <summary>Where a change-feed range's reading resumes.</summary>
internal sealed record FeedCheckpointDocument(string Id, string Pk, string DocType, string Range, string? Continuation, DateTimeOffset UpdatedAt);
