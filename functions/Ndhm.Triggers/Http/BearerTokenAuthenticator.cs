using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.Triggers.Http;

/// <summary>
/// Authenticates a request by its <c>Authorization: Bearer</c> token: a JWT the platform issued for its own API,
/// signed through Key Vault and checked against the published keys, and, for a partner session, a partner that is
/// still active. On an endpoint a patient may call, the web app's session cookie (<see cref="WebApp.WebSessionCookies"/>)
/// stands in for the header when there is none: it must hold a PATIENT token, and an unsafe method must carry the
/// session's CSRF header.
/// </summary>
public sealed class BearerTokenAuthenticator(JwtValidator validator, IPartnerSessionCheck partnerSessions) : IRequestAuthenticator
{
    public async Task<CallerIdentity> AuthenticateAsync(HttpRequest request, bool acceptsWebSession, CancellationToken ct)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.Length == 0 && acceptsWebSession && WebApp.WebSessionCookies.AccessToken(request) is { } sessionToken)
        {
            var patient = await validator.ValidateAsync(sessionToken, Audiences.PlatformApi, ct);
            if (patient.Roles.Count != 1 || !patient.IsInRole(Roles.Patient))
            {
                throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.InvalidToken,
                    "The web session does not hold a patient's token.", "Sign in to the web app again.");
            }

            return patient;
        }

        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length <= scheme.Length)
        {
            throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.Unauthenticated,
                "Authentication is required.", "Send Authorization: Bearer <access token>.");
        }

        var caller = await validator.ValidateAsync(header[scheme.Length..].Trim(), Audiences.PlatformApi, ct);
        await partnerSessions.EnsureCurrentAsync(caller, ct);
        return caller;
    }
}
