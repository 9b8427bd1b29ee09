using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Gateway;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Partners;

/// <summary>ABDM-style gateway session: client credentials in, a short-lived bearer token out.</summary>
public sealed class CreateSession(PartnerService partners, GatewayOptions options)
{
    [Function(nameof(CreateSession))]
    [PublicEndpoint("Partners authenticate here with their client id and secret (in the body).")]
    [OpenApiOperation("Open a partner session: client credentials for an access token (ABDM gateway sessions).",
        Request = typeof(SessionRequest), Response = typeof(SessionResponse), Tag = "Partners")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/sessions")] HttpRequest req,
        CancellationToken ct)
    {
        var body = await req.ReadJsonAsync<SessionRequest>(ct);
        if (!string.Equals(body.GrantType, "client_credentials", StringComparison.Ordinal))
        {
            throw new DomainException(ErrorKind.Validation, GatewayErrors.UnsupportedGrantType, "grantType must be client_credentials.");
        }

        var token = await partners.OpenSessionAsync(body.ClientId, body.ClientSecret, options.SessionLifetime, ct);
        req.HttpContext.Response.Headers.CacheControl = "no-store";
        return new OkObjectResult(new SessionResponse(token.Token, (int)(token.ExpiresAt - token.IssuedAt).TotalSeconds, 0, "bearer"));
    }
}
