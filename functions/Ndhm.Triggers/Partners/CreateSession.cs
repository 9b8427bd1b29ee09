using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Gateway;
using Ndhm.Gateway.Partners;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

/// <summary>
/// ABDM-style gateway session: client credentials (or a refresh token) in, a short-lived bearer token and a new
/// refresh token out.
/// </summary>
public sealed class CreateSession(PartnerService partners, SessionLifetimes lifetimes)
{
    public const string ClientCredentials = "client_credentials";
    public const string RefreshToken = "refresh_token";

    [Function(nameof(CreateSession))]
    [PublicEndpoint("Partners authenticate here with their client id and secret, or a refresh token (in the body).")]
    [OpenApiOperation("Open a partner session (client_credentials) or renew it (refresh_token): access token plus a rotated refresh token.",
        Request = typeof(SessionRequest), Response = typeof(SessionResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/sessions")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<SessionRequest>(ct);
        var session = body.GrantType switch
        {
            ClientCredentials => await partners.OpenSessionAsync(body.ClientId, body.ClientSecret, lifetimes, ct),
            RefreshToken => await partners.RefreshSessionAsync(body.ClientId, body.RefreshToken, body.ClientSecret, lifetimes, ct),
            _ => throw new DomainException(ErrorKind.Validation, GatewayErrors.UnsupportedGrantType,
                "grantType must be client_credentials or refresh_token."),
        };
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(SessionResponse.From(session));
    }
}
