using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Login;
using Ndhm.Triggers.HealthId;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// Renews the web session from its refresh cookie (rotated, as <c>v3/profile/login/refresh</c> rotates it). A refused
/// refresh clears the cookies: the app shows sign-in.
/// </summary>
public sealed class RefreshWebSession(AbhaLoginService login)
{
    [Function(nameof(RefreshWebSession))]
    [PublicEndpoint("Authenticated by the HttpOnly refresh cookie, like v3/profile/login/refresh by its body.")]
    [OpenApiOperation("Renew the web app's session from its refresh cookie (rotated); 401 REFRESH_TOKEN_INVALID clears the session.",
        Response = typeof(WebSessionResponse), Tag = "Web app")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebAppAssets.RoutePrefix + "/session/refresh")] HttpRequest req,
        CancellationToken ct)
    {
        PatientSessionTokens renewed;
        try
        {
            renewed = await login.RefreshAsync(WebSessionCookies.RefreshToken(req), ct);
        }
        catch (DomainException)
        {
            WebSessionCookies.End(req.HttpContext);
            throw;
        }

        var tokens = HealthIdHttp.Tokens(renewed);
        var csrf = WebSessionCookies.Start(req.HttpContext, tokens);
        return new OkObjectResult(new WebSessionResponse("Session renewed", null, csrf, tokens.ExpiresIn, null));
    }
}
