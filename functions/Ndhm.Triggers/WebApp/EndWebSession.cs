using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>Signs out of the web app: clears the session's cookies (sending none is fine: it only ever removes).</summary>
public sealed class EndWebSession
{
    [Function(nameof(EndWebSession))]
    [PublicEndpoint("Only clears the caller's own session cookies; it reads nothing and changes no stored data.")]
    [OpenApiOperation("Sign out of the web app: the session cookies are cleared.", Response = typeof(WebSessionEnded), Tag = "Web app")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebAppAssets.RoutePrefix + "/session/logout")] HttpRequest req)
    {
        WebSessionCookies.End(req.HttpContext);
        return new OkObjectResult(new WebSessionEnded("Signed out"));
    }
}
