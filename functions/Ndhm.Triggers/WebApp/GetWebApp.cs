using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>The patient web app's page; it loads the app's scripts, styles and texts from <c>/api/app/assets/{version}/...</c>.</summary>
public sealed class GetWebApp
{
    [Function(nameof(GetWebApp))]
    [PublicEndpoint("The patient web app's page: static, no personal data; the patient signs in from it.")]
    [OpenApiOperation("The patient web app (HTML page; sign in with ABHA address or number and OTP).", Tag = "Web app")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = WebAppAssets.RoutePrefix)] HttpRequest req) =>
        new WebAppResult(WebAppAssets.Page, WebAppResult.PageCaching);
}
