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
/// still active. When there is no header, two cookie sessions may stand in, each only where it belongs: on an endpoint
/// a patient may call, the web app's session (<see cref="WebApp.WebSessionCookies"/>), which must hold a PATIENT token;
/// on the aggregate query (<see cref="AnalyticsWebSessionAttribute"/>), the analytics dashboard's session
/// (<see cref="WebApp.AnalyticsSessionCookies"/>), which must hold an ANALYTICS partner's token. An unsafe method must
/// carry the session's CSRF header.
/// </summary>
public sealed class BearerTokenAuthenticator(JwtValidator validator, IPartnerSessionCheck partnerSessions) : IRequestAuthenticator
{
    public async Task<CallerIdentity> AuthenticateAsync(HttpRequest request, EndpointPolicy policy, CancellationToken ct)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.Length == 0 && policy.Roles.Contains(Roles.Patient) && WebApp.WebSessionCookies.AccessToken(request) is { } sessionToken)
        {
            return await SoleRoleAsync(sessionToken, Roles.Patient, "The web session does not hold a patient's token.", "Sign in to the web app again.", ct);
        }

        if (header.Length == 0 && policy.AcceptsAnalyticsSession && WebApp.AnalyticsSessionCookies.AccessToken(request) is { } analyticsToken)
        {
            var analyst = await SoleRoleAsync(analyticsToken, Roles.Analytics, "The analytics session does not hold an analytics token.",
                "Sign in to the analytics dashboard again.", ct);
            await partnerSessions.EnsureCurrentAsync(analyst, ct); // a deactivated partner or a rotated secret ends it
            return analyst;
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

    private async Task<CallerIdentity> SoleRoleAsync(string token, string role, string detail, string hint, CancellationToken ct)
    {
        var caller = await validator.ValidateAsync(token, Audiences.PlatformApi, ct);
        return caller.Roles.Count == 1 && caller.IsInRole(role)
            ? caller
            : throw new DomainException(ErrorKind.Unauthenticated, ErrorCodes.InvalidToken, detail, hint);
    }
}
