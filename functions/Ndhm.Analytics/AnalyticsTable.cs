using Ndhm.Core.Errors;

namespace Ndhm.Analytics;

/// <summary>Answers a query from released blocks only (see <see cref="DisclosureControl"/>); pure, so it is tested without I/O.</summary>
public static class AnalyticsTable
{
    public static AnalyticsResult Answer(AnalyticsQuery query, IEnumerable<ReleasedUnit> units, int threshold)
    {
        var measure = query.Measure;
        var rows = new Dictionary<string, (Period Period, string[] Values, long Count, double Sum)>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (!unit.Period.Within(query.From, query.To)) continue;
            var values = ValuesOf(measure, unit);
            if (query.Filters.Any(f => values.GetValueOrDefault(f.Key) != f.Value)) continue;
            var period = unit.Period.AtLeast(query.Grain);
            var grouped = query.GroupBy.Select(d => values[d]).ToArray();
            var key = period.Label + "\n" + string.Join('\n', grouped);
            var row = rows.GetValueOrDefault(key, (period, grouped, 0, 0));
            rows[key] = (period, grouped, row.Count + unit.Count, row.Sum + unit.Sum);
        }

        var list = rows.Values
            .OrderBy(r => r.Period.Start).ThenBy(r => r.Period.Grain).ThenBy(r => string.Join('\n', r.Values), StringComparer.Ordinal)
            .Select(r => new AnalyticsRow(r.Period.Label, r.Period.Grain,
                query.GroupBy.Select((d, i) => (d, r.Values[i])).ToDictionary(p => p.d, p => p.Item2, StringComparer.Ordinal),
                r.Count, measure.Value is null ? null : Math.Round(r.Sum / r.Count, 3)))
            .ToList();
        return new AnalyticsResult(measure.Name, query.From, query.To, query.Grain, threshold, query.GroupBy, measure.Value, list,
            list.Sum(r => r.Count));
    }

    /// <summary>A block's value of every dimension, by name.</summary>
    public static Dictionary<string, string> ValuesOf(MeasureDefinition measure, ReleasedUnit unit)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AnalyticsDefinitions.State] = unit.State,
            [AnalyticsDefinitions.District] = unit.District,
        };
        var parts = unit.Cell.Split('|');
        for (var i = 0; i < measure.CellDimensions.Count && i < parts.Length; i++)
        {
            values[measure.CellDimensions[i].Name] = parts[i];
        }

        return values;
    }
}

/// <summary>
/// No query may narrow to a single facility that served fewer than threshold events in the range: when the slices the
/// filters select (state, district, facility type) show exactly one facility and it is small, the query is refused.
/// Events stand in for patients (the store keeps no patient identity to count distinct patients with).
/// </summary>
public static class SmallFacilityRule
{
    public static void Check(AnalyticsQuery query, IEnumerable<AggregateSlice> slices, int threshold)
    {
        query.Filters.TryGetValue(AnalyticsDefinitions.State, out var state);
        query.Filters.TryGetValue(AnalyticsDefinitions.District, out var district);
        query.Filters.TryGetValue(AnalyticsDefinitions.FacilityType, out var facilityType);
        var facilities = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            if (slice.Day < query.From || slice.Day > query.To) continue;
            if (state is not null && slice.State != state) continue;
            if (district is not null && slice.District != district) continue;
            foreach (var (facility, count) in slice.Facilities)
            {
                if (facilityType is not null && !facility.StartsWith(facilityType + "|", StringComparison.Ordinal)) continue;
                facilities[facility] = facilities.GetValueOrDefault(facility) + count;
            }
        }

        if (facilities.Count == 1 && facilities.Single().Value < threshold)
        {
            throw new DomainException(ErrorKind.Validation, AnalyticsErrors.SmallFacility, "The query narrows to a single small facility.",
                "Widen the area, the facility type or the date range.");
        }
    }
}
