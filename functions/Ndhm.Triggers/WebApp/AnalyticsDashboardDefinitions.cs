using System.Text.Json;
using Ndhm.Analytics;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// What the dashboard offers to choose from (measures, their dimensions and the codes of closed lists), taken from the
/// one analytics definition (<see cref="AnalyticsDefinitions"/>) and written into its page, so the dashboard never
/// lists a measure or dimension the query API does not accept.
/// </summary>
public static class AnalyticsDashboardDefinitions
{
    public static string Json() => Json(AnalyticsDefinitions.Default);

    public static string Json(AnalyticsDefinitions definitions) => JsonSerializer.Serialize(new
    {
        common = definitions.CommonDimensions.Select(Dimension),
        measures = definitions.Measures.Select(m => new { name = m.Name, source = m.Source, value = m.Value, dimensions = m.Dimensions.Select(Dimension) }),
    });

    private static object Dimension(DimensionDefinition d) => new { name = d.Name, values = d.Values };
}
