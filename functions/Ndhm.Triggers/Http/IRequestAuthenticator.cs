using Microsoft.AspNetCore.Http;
using Ndhm.Core.Security;

namespace Ndhm.Triggers.Http;

/// <summary>Proves who is calling from the request's credentials, or throws an Unauthenticated domain error.</summary>
public interface IRequestAuthenticator
{
    Task<CallerIdentity> AuthenticateAsync(HttpRequest request, CancellationToken ct);
}
