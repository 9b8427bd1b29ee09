using Microsoft.AspNetCore.Http;
using Ndhm.Core.Security;

namespace Ndhm.Triggers.Http;

/// <summary>Proves who is calling from the request's credentials, or throws an Unauthenticated domain error.</summary>
public interface IRequestAuthenticator
{
    /// <param name="policy">The endpoint's policy: when it admits PATIENT callers the web app's session cookie may stand
    /// in for the bearer token (a PATIENT token only); when it accepts the analytics session, the dashboard's cookie
    /// (an ANALYTICS token only). Both are CSRF-checked on unsafe methods.</param>
    Task<CallerIdentity> AuthenticateAsync(HttpRequest request, EndpointPolicy policy, CancellationToken ct);
}
