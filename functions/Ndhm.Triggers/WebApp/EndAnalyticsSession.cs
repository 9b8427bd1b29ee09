using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>Signs out of the analytics dashboard: clears its cookies (it only ever removes, so it needs no credentials).</summary>
public sealed class EndAnalyticsSession
{
    [Function(nameof(EndAnalyticsSession))]
    [PublicEndpoint("Only clears the caller's own analytics session cookies; it reads nothing and changes no stored data.")]
    [OpenApiOperation("Sign out of the analytics dashboard: its session cookies are cleared.", Response = typeof(WebSessionEnded), Tag = "Web app")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebAppAssets.RoutePrefix + "/analytics/session/logout")] HttpRequest req)
    {
        AnalyticsSessionCookies.End(req.HttpContext);
        return new OkObjectResult(new WebSessionEnded("Signed out"));
    }
}
