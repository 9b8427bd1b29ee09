using System.Globalization;
using System.Text.RegularExpressions;

namespace Ndhm.Analytics;

/// <summary>
/// One de-identified event as a capability reports it: which measure, the day, dimension codes (state, district,
/// facility type, age band, gender, and the measure's own), the facility's public HFR id, and the measure's value
/// (latency...) when it has one. It carries no identity and no free text: <see cref="Normalise"/> keeps only the
/// dimensions the definitions name and only values they accept. <see cref="Id"/> is derived from the source event
/// (<see cref="AnalyticsFactIds"/>), so an operation retried reports the same fact and it is stored once.
/// </summary>
/// <param name="Patient">
/// The ABHA number the event concerns, only on its way to the outbox: the outbox's decorator
/// (<see cref="IAnalyticsPersons"/>) fills the person's demographic codes from it and drops it, and the stored fact
/// never holds it.
/// </param>
public sealed record AnalyticsFact(string Id, string Measure, DateOnly Day, IReadOnlyDictionary<string, string?> Dimensions,
    string? FacilityId = null, double? Value = null, string? Patient = null)
{
    /// <summary>The fact as the aggregates store it: slice, cell key, facility key; null for an unknown measure.</summary>
    public NormalisedFact? Normalise(AnalyticsDefinitions definitions)
    {
        if (definitions.Measure(Measure) is not { } measure)
        {
            return null;
        }

        string ValueOf(DimensionDefinition d) =>
            Dimensions.TryGetValue(d.Name, out var v) && d.Accepts(v) ? v! : AnalyticsDefinitions.Unknown;

        var state = ValueOf(measure.AllDimensions[0]);
        var district = ValueOf(measure.AllDimensions[1]);
        var cell = string.Join('|', measure.CellDimensions.Select(ValueOf));
        var facilityType = measure.Dimension(AnalyticsDefinitions.FacilityType) is { } ft ? ValueOf(ft) : AnalyticsDefinitions.Unknown;
        var facility = FacilityId is not null && FacilityIdPattern().IsMatch(FacilityId) ? facilityType + "|" + FacilityId : null;
        var value = Value is { } x && double.IsFinite(x) && x >= 0 ? x : 0;
        return new NormalisedFact(Id, new SliceKey(measure.Name, Day, state, district), cell, facility, value);
    }

    private static Regex FacilityIdPattern() => FacilityIdRegex;

    private static readonly Regex FacilityIdRegex = new("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant);
}

/// <param name="Cell">The cell dimension values in <see cref="MeasureDefinition.CellDimensions"/> order, joined by '|'.</param>
/// <param name="Facility"><c>facilityType|facilityId</c>, or null when the event names no facility.</param>
public sealed record NormalisedFact(string FactId, SliceKey Slice, string Cell, string? Facility, double Value);

/// <summary>
/// One aggregate document: a measure's cells for one day in one district. A page of events touches each slice at
/// most once (one write), and a single event is one write.
/// </summary>
public sealed record SliceKey(string Measure, DateOnly Day, string State, string District)
{
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Measure}.{Day:yyyyMMdd}.{State}.{District}");

    /// <summary>A measure's month: the query reads whole months, so the partition is the unit it reads.</summary>
    public string PartitionKey => MonthPartition(Measure, Day.Year, Day.Month);

    public static string MonthPartition(string measure, int year, int month) =>
        string.Create(CultureInfo.InvariantCulture, $"{measure}.{year:D4}{month:D2}");
}

/// <summary>Fact ids from the source event's identity: the same source and kind always give the same fact.</summary>
public static class AnalyticsFactIds
{
    public static string For(string measure, string sourceId, string? outcome = null)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(measure + "\n" + sourceId + "\n" + outcome));
        return "fact-" + Convert.ToHexStringLower(hash)[..32];
    }
}
