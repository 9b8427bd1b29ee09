using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.Gateway.Partners;

/// <summary>How long a partner session's tokens live: the access token (JWT) and the refresh token (opaque).</summary>
public sealed record SessionLifetimes(TimeSpan Access, TimeSpan Refresh);

/// <summary>A session as the partner receives it: an access token and the refresh token that replaces it later.</summary>
public sealed record PartnerSession(IssuedToken Access, string RefreshToken, TimeSpan RefreshLifetime);

/// <summary>
/// The partner side of refresh-token rotation (the mechanism is <see cref="RefreshTokenRotation"/> in Core): a family
/// is owned by the client id and bound to the partner's client secret as it was when the session opened
/// (<see cref="SecretStamp"/>), so rotating the secret ends every family without touching them.
/// </summary>
public static class RefreshTokenRules
{
    /// <summary>Changes whenever the partner's secret does (new salt and hash); reveals neither.</summary>
    public static string SecretStamp(HashedSecret secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Salt + ":" + secret.Hash)))[..32];

    public static RefreshFamily Start(string clientId, HashedSecret secret, RefreshTokenValue token, DateTimeOffset now, TimeSpan lifetime) =>
        RefreshTokenRotation.Start(clientId, SecretStamp(secret), token, now, lifetime);

    /// <summary>Whether the partner may still refresh this family: active, and with the secret the family was bound to.</summary>
    public static bool PartnerValid(RefreshFamily family, HashedSecret partnerSecret, bool partnerActive)
    {
        ArgumentNullException.ThrowIfNull(family);
        return partnerActive && family.Binding == SecretStamp(partnerSecret);
    }

    public static RefreshVerdict Judge(RefreshFamily family, RefreshTokenValue presented, HashedSecret partnerSecret, bool partnerActive, DateTimeOffset now) =>
        RefreshTokenRotation.Judge(family, presented, PartnerValid(family, partnerSecret, partnerActive), now);
}

/// <summary>Partner refresh-token families (Cosmos <c>gateway</c> container, expiring with their current token).</summary>
public interface IRefreshTokenStore : IRefreshFamilyStore
{
    Task<Versioned<RefreshFamily>?> GetAsync(string clientId, string familyId, CancellationToken ct);
}
