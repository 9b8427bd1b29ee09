using Microsoft.AspNetCore.Http;
using Ndhm.Core.Security;

namespace Ndhm.Triggers.Http;

/// <summary>Proves who is calling from the request's credentials, or throws an Unauthenticated domain error.</summary>
public interface IRequestAuthenticator
{
    /// <param name="acceptsWebSession">The endpoint admits PATIENT callers, so the web app's session cookie may stand in
    /// for the bearer token (a PATIENT token only, CSRF-checked on unsafe methods).</param>
    Task<CallerIdentity> AuthenticateAsync(HttpRequest request, bool acceptsWebSession, CancellationToken ct);
}
