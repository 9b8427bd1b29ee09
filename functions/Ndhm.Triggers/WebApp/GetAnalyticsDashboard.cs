using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>The analytics dashboard's page: its own scripts (and the charting library) load only here, never on the patient app's page.</summary>
public sealed class GetAnalyticsDashboard
{
    [Function(nameof(GetAnalyticsDashboard))]
    [PublicEndpoint("The analytics dashboard's page: static, no data; the analytics official signs in from it.")]
    [OpenApiOperation("The analytics dashboard (HTML page; sign in with an ANALYTICS partner's client credentials).", Tag = "Web app")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WebAppAssets.RoutePrefix + "/analytics")] HttpRequest req) =>
        new WebAppResult(WebAppAssets.AnalyticsPage, WebAppResult.PageCaching);
}
