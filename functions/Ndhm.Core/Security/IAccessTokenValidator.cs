namespace Ndhm.Core.Security;

/// <summary>Validates a platform-issued access token and says who holds it, or throws an Unauthenticated error.</summary>
public interface IAccessTokenValidator
{
    Task<CallerIdentity> ValidateAsync(string token, CancellationToken ct);
}
