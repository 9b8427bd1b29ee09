using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// The analytics dashboard's sign-in: an analytics partner's client credentials open a partner session (as
/// <c>POST /api/v1/sessions</c> does) and its access token is kept in an HttpOnly cookie only the aggregate query
/// accepts. A partner that holds any role besides ANALYTICS is refused: the dashboard's cookie must never carry more.
/// </summary>
public sealed class StartAnalyticsSession(PartnerService partners, SessionLifetimes lifetimes, JwtValidator validator)
{
    [Function(nameof(StartAnalyticsSession))]
    [PublicEndpoint("Authenticated by the analytics partner's client credentials in the body, like v1/sessions.")]
    [OpenApiOperation("Sign in to the analytics dashboard with an ANALYTICS partner's client credentials: the access token is set as an HttpOnly cookie for the aggregate query only; the answer carries the CSRF token.",
        Request = typeof(AnalyticsSignInRequest), Response = typeof(AnalyticsSessionResponse), Tag = "Web app")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = WebAppAssets.RoutePrefix + "/analytics/session/login")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<AnalyticsSignInRequest>(ct);
        var session = await partners.OpenSessionAsync(body.ClientId, body.ClientSecret, lifetimes, ct);
        var caller = await validator.ValidateAsync(session.Access.Token, Audiences.PlatformApi, ct);
        if (caller.Roles.Count != 1 || !caller.IsInRole(Roles.Analytics))
        {
            throw new DomainException(ErrorKind.Forbidden, ErrorCodes.Forbidden, "The analytics dashboard is for ANALYTICS partners only.",
                "Register a partner with the single role ANALYTICS for the dashboard; other partners call the API with bearer tokens.");
        }

        var expiresIn = (int)Math.Max(1, (session.Access.ExpiresAt - session.Access.IssuedAt).TotalSeconds);
        var csrf = AnalyticsSessionCookies.Start(req.HttpContext, session.Access.Token, expiresIn);
        return new OkObjectResult(new AnalyticsSessionResponse("Signed in", caller.Subject, csrf, expiresIn));
    }
}
