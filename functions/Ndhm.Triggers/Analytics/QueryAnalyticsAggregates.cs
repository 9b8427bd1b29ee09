using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Analytics;
using Ndhm.Core.Security;
using Ndhm.Triggers.Audit;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Analytics;

/// <summary>
/// Public-health aggregates: a measure, the dimensions to group by (<c>dimensions=state,ageBand</c>), filters (any
/// dimension as a parameter: <c>state=MH</c>), a date range and a grain; JSON, or CSV with <c>format=csv</c> or
/// <c>Accept: text/csv</c>. Only the ANALYTICS role (and platform admins) may read them; every query is audited.
/// </summary>
public sealed class QueryAnalyticsAggregates(AnalyticsQueries queries, AnalyticsDefinitions definitions, TimeProvider time)
{
    [Function(nameof(QueryAnalyticsAggregates))]
    [RequireRoles(Roles.Analytics, Roles.PlatformAdmin)]
    [AnalyticsWebSession]
    [OpenApiOperation("De-identified public-health aggregates (query: measure, dimensions, from, to, granularity day|week|month, format json|csv, and any dimension as a filter). Blocks under the small-cell threshold are never released.",
        Response = typeof(AnalyticsAggregatesResponse), Tag = AnalyticsHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/analytics/aggregates")] HttpRequest req,
        CancellationToken ct)
    {
        var filters = req.Query
            .Where(q => !AnalyticsHttp.Reserved.Contains(q.Key))
            .ToDictionary(q => q.Key, q => q.Value.Count > 0 ? q.Value[0] ?? "" : "", StringComparer.Ordinal);
        var query = AnalyticsQuery.Create(definitions, AuditHttp.Query(req, "measure"), AuditHttp.Query(req, "dimensions"), filters,
            AuditHttp.Query(req, "from"), AuditHttp.Query(req, "to"), AuditHttp.Query(req, "granularity"),
            DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var result = await queries.QueryAsync(query, AuditHttp.Actor(req.HttpContext), ct);
        var csv = AuditHttp.Query(req, "format") == "csv"
            || req.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
        return csv
            ? new ContentResult { Content = AnalyticsAggregatesResponse.Csv(result), ContentType = "text/csv; charset=utf-8", StatusCode = 200 }
            : new OkObjectResult(AnalyticsAggregatesResponse.Of(result));
    }
}
