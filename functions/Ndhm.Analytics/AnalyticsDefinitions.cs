using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Ndhm.Analytics;

/// <summary>
/// A dimension: a closed list of codes or a code pattern. Values outside it are stored as <see cref="AnalyticsDefinitions.Unknown"/>.
/// Patterns run non-backtracking (linear time), so no timeout is needed, and none can fire spuriously on a busy machine.
/// </summary>
public sealed record DimensionDefinition(string Name, string? Description, IReadOnlyList<string>? Values, string? Pattern)
{
    private Regex? regex;

    public bool Accepts(string? value) =>
        value is not null && value.Length <= 40 && (Values is { } closed
            ? closed.Contains(value, StringComparer.Ordinal)
            : Pattern is not null && (regex ??= new Regex(Pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)).IsMatch(value));
}

/// <summary>
/// A measure: a count of events by day and by the common dimensions plus its own, and optionally the sum of one
/// value per event (<see cref="Value"/>, e.g. a transfer's latency) so means can be released.
/// </summary>
public sealed record MeasureDefinition(string Name, string Source, string? Value, IReadOnlyList<DimensionDefinition> Dimensions)
{
    /// <summary>Every dimension of a cell except day, state and district (those name the slice): the cell key's order.</summary>
    [JsonIgnore]
    public IReadOnlyList<DimensionDefinition> CellDimensions { get; internal set; } = [];

    /// <summary>All dimensions a query may group or filter on, in their stored order.</summary>
    [JsonIgnore]
    public IReadOnlyList<DimensionDefinition> AllDimensions { get; internal set; } = [];

    public DimensionDefinition? Dimension(string name) => AllDimensions.FirstOrDefault(d => d.Name == name);
}

/// <summary>
/// The aggregate definitions, read from the embedded <c>analytics-definitions.json</c>: the single source both the
/// platform (change feed, query API) and the national-scale path (<see cref="FabricSql"/>) are built from.
/// </summary>
public sealed class AnalyticsDefinitions
{
    public const string Unknown = "unknown";
    public const string State = "state";
    public const string District = "district";
    public const string FacilityType = "facilityType";

    private readonly Dictionary<string, MeasureDefinition> measures;

    private AnalyticsDefinitions(IReadOnlyList<DimensionDefinition> common, IReadOnlyList<MeasureDefinition> all)
    {
        CommonDimensions = common;
        foreach (var measure in all)
        {
            measure.AllDimensions = [.. common, .. measure.Dimensions];
            measure.CellDimensions = [.. common.Where(d => d.Name is not (State or District)), .. measure.Dimensions];
        }

        Measures = all;
        measures = all.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    public static AnalyticsDefinitions Default { get; } = Load();

    public IReadOnlyList<DimensionDefinition> CommonDimensions { get; }

    public IReadOnlyList<MeasureDefinition> Measures { get; }

    public MeasureDefinition? Measure(string? name) => name is not null && measures.TryGetValue(name, out var m) ? m : null;

    /// <summary>The definitions file's text, exactly as embedded (for tools that generate from it).</summary>
    public static string Text()
    {
        using var stream = typeof(AnalyticsDefinitions).Assembly.GetManifestResourceStream("analytics-definitions.json")
            ?? throw new InvalidOperationException("analytics-definitions.json is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static AnalyticsDefinitions Parse(string json)
    {
        var file = JsonSerializer.Deserialize<DefinitionsFile>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("Empty analytics definitions.");
        return new AnalyticsDefinitions(file.CommonDimensions, file.Measures);
    }

    private static AnalyticsDefinitions Load() => Parse(Text());

    private sealed record DefinitionsFile(IReadOnlyList<DimensionDefinition> CommonDimensions, IReadOnlyList<MeasureDefinition> Measures);
}
