using System.Text;

namespace Ndhm.Analytics;

/// <summary>
/// The national-scale path: the same aggregates, and the same block rule (<see cref="DisclosureControl"/>), as Spark
/// SQL over the <c>analytics-facts</c> container's analytical store (Azure Synapse Link) or its Fabric mirror, where
/// facts are kept beyond the transactional store's 30-day TTL. Generated from the definitions file, so the two paths
/// cannot drift: <c>infra/analytics/aggregates.sql</c> is this text, and a unit test compares them.
/// </summary>
public static class FabricSql
{
    public static string Generate(AnalyticsDefinitions definitions)
    {
        var sql = new StringBuilder();
        sql.Append("-- Generated from functions/Ndhm.Analytics/analytics-definitions.json by FabricSql.Generate; do not edit.\n");
        sql.Append("-- Source: the analytics-facts container (analytical store / Fabric mirror) as table analytics_facts.\n");
        sql.Append("-- Parameter: ${threshold} (the small-cell threshold, Analytics__SmallCellThreshold; default 10).\n");
        sql.Append("-- Output: one view per measure of released blocks (period_start, period_end, grain, every dimension, events, value_sum).\n");
        foreach (var measure in definitions.Measures)
        {
            var view = measure.Name.Replace('-', '_');
            var dims = measure.AllDimensions.Select(d => d.Name).ToList();
            var columns = string.Join(", ", dims.Select(d => $"COALESCE(dimensions.{d}, 'unknown') AS {d}"));
            var list = string.Join(", ", dims);
            sql.Append('\n');
            sql.Append($"-- {measure.Name}: {measure.Source}\n");
            sql.Append($"CREATE OR REPLACE TEMPORARY VIEW released_{view} AS\n");
            sql.Append("WITH cells AS (\n");
            sql.Append($"  SELECT CAST(day AS DATE) AS day, {columns}, COUNT(*) AS events, SUM(COALESCE(value, 0)) AS value_sum\n");
            sql.Append($"  FROM analytics_facts WHERE measure = '{measure.Name}'\n");
            sql.Append($"  GROUP BY CAST(day AS DATE), {string.Join(", ", dims.Select(d => $"COALESCE(dimensions.{d}, 'unknown')"))}\n");
            sql.Append("), weeks AS (\n");
            sql.Append("  SELECT date_add(trunc(day, 'MM'), LEAST(CAST(FLOOR((day_of_month - 1) / 7) AS INT), 3) * 7) AS week_start, *\n");
            sql.Append("  FROM (SELECT *, dayofmonth(day) AS day_of_month FROM cells)\n");
            sql.Append("), week_pool AS (\n");
            sql.Append($"  SELECT week_start, {list}, SUM(events) AS events, SUM(value_sum) AS value_sum\n");
            sql.Append("  FROM weeks WHERE events < ${threshold}\n");
            sql.Append($"  GROUP BY week_start, {list}\n");
            sql.Append("), month_pool AS (\n");
            sql.Append($"  SELECT trunc(week_start, 'MM') AS month_start, {list}, SUM(events) AS events, SUM(value_sum) AS value_sum\n");
            sql.Append("  FROM week_pool WHERE events < ${threshold}\n");
            sql.Append($"  GROUP BY trunc(week_start, 'MM'), {list}\n");
            sql.Append(")\n");
            sql.Append($"SELECT day AS period_start, day AS period_end, 'day' AS grain, {list}, events, value_sum FROM cells WHERE events >= ${{threshold}}\n");
            sql.Append("UNION ALL\n");
            sql.Append("SELECT week_start, CASE WHEN dayofmonth(week_start) = 22 THEN last_day(week_start) ELSE date_add(week_start, 6) END, 'week', ");
            sql.Append($"{list}, events, value_sum FROM week_pool WHERE events >= ${{threshold}}\n");
            sql.Append($"UNION ALL\n");
            sql.Append($"SELECT month_start, last_day(month_start), 'month', {list}, events, value_sum FROM month_pool WHERE events >= ${{threshold}};\n");
        }

        return sql.ToString();
    }
}
