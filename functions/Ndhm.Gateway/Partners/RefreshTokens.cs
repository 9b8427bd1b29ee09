using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.Gateway.Partners;

/// <summary>How long a partner session's tokens live: the access token (JWT) and the refresh token (opaque).</summary>
public sealed record SessionLifetimes(TimeSpan Access, TimeSpan Refresh);

/// <summary>A session as the partner receives it: an access token and the refresh token that replaces it later.</summary>
public sealed record PartnerSession(IssuedToken Access, string RefreshToken, TimeSpan RefreshLifetime);

/// <summary>A refresh token the family no longer accepts, kept until it would have expired so its reuse is recognised.</summary>
public sealed record RotatedRefreshToken(string Hash, DateTimeOffset ExpiresAt);

/// <summary>
/// The refresh tokens descended from one client-credentials session. Only one is current; each refresh replaces it
/// (rotation). The family is bound to the partner's client secret as it was when the session opened
/// (<see cref="SecretStamp"/>), so rotating the secret ends every family without touching them.
/// </summary>
public sealed record RefreshFamily(
    string FamilyId,
    string ClientId,
    string SecretStamp,
    string CurrentHash,
    DateTimeOffset CurrentExpiresAt,
    IReadOnlyList<RotatedRefreshToken> Rotated,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>
/// An opaque refresh token, <c>&lt;familyId&gt;.&lt;secret&gt;</c>: the family id (128 random bits) finds the family,
/// the secret (256 random bits) proves possession. Only a SHA-256 hash of the secret is stored; a slow hash is not
/// needed for a random 256-bit value, which cannot be guessed from its hash.
/// </summary>
public sealed record RefreshTokenValue(string FamilyId, string Secret)
{
    private const int FamilyIdBytes = 16;
    private const int SecretBytes = 32;

    public static RefreshTokenValue NewFamily() => new(Random(FamilyIdBytes), Random(SecretBytes));

    public RefreshTokenValue Next() => this with { Secret = Random(SecretBytes) };

    public string Hash => Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(Secret)));

    public override string ToString() => FamilyId + "." + Secret;

    public static bool TryParse(string? token, [NotNullWhen(true)] out RefreshTokenValue? value)
    {
        value = null;
        if (token is null || token.Length > 128 || token.Split('.') is not [var family, var secret]
            || !IsBase64Url(family, FamilyIdBytes) || !IsBase64Url(secret, SecretBytes))
        {
            return false;
        }

        value = new RefreshTokenValue(family, secret);
        return true;
    }

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private static bool IsBase64Url(string text, int bytes) =>
        text.Length == Base64Url.GetEncodedLength(bytes) && Base64Url.IsValid(text, out var decoded) && decoded == bytes;
}

public enum RefreshVerdict
{
    /// <summary>The current token, in time, for an active partner whose secret has not changed: issue and rotate.</summary>
    Rotate,
    /// <summary>A token this family already replaced: someone else holds a copy. Revoke the family.</summary>
    Reuse,
    /// <summary>Anything else (unknown, expired, revoked family, new secret, inactive partner): refuse.</summary>
    Refuse,
}

/// <summary>Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP, section 4.14.2).</summary>
public static class RefreshTokenRules
{
    /// <summary>Changes whenever the partner's secret does (new salt and hash); reveals neither.</summary>
    public static string SecretStamp(HashedSecret secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret.Salt + ":" + secret.Hash)))[..32];

    public static RefreshFamily Start(string clientId, HashedSecret secret, RefreshTokenValue token, DateTimeOffset now, TimeSpan lifetime) =>
        new(token.FamilyId, clientId, SecretStamp(secret), token.Hash, now + lifetime, [], now);

    public static RefreshVerdict Judge(RefreshFamily family, RefreshTokenValue presented, HashedSecret partnerSecret, bool partnerActive, DateTimeOffset now)
    {
        if (family.Revoked || presented.FamilyId != family.FamilyId)
        {
            return RefreshVerdict.Refuse;
        }

        var hash = presented.Hash;
        if (SameHash(hash, family.CurrentHash))
        {
            return now < family.CurrentExpiresAt && partnerActive && family.SecretStamp == SecretStamp(partnerSecret)
                ? RefreshVerdict.Rotate
                : RefreshVerdict.Refuse;
        }

        return family.Rotated.Any(r => SameHash(hash, r.Hash)) ? RefreshVerdict.Reuse : RefreshVerdict.Refuse;
    }

    /// <summary>The presented (current) token joins the rotated ones; those past their own expiry are forgotten.</summary>
    public static RefreshFamily Rotate(RefreshFamily family, RefreshTokenValue next, DateTimeOffset now, TimeSpan lifetime) =>
        family with
        {
            CurrentHash = next.Hash,
            CurrentExpiresAt = now + lifetime,
            Rotated = family.Rotated.Where(r => r.ExpiresAt > now).Append(new RotatedRefreshToken(family.CurrentHash, family.CurrentExpiresAt)).ToList(),
        };

    public static RefreshFamily Revoke(RefreshFamily family, DateTimeOffset now) => family.Revoked ? family : family with { RevokedAt = now };

    private static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}

/// <summary>Refresh-token families (Cosmos <c>gateway</c> container, expiring with their current token).</summary>
public interface IRefreshTokenStore
{
    Task<Versioned<RefreshFamily>?> GetAsync(string clientId, string familyId, CancellationToken ct);

    Task<Versioned<RefreshFamily>> CreateAsync(RefreshFamily family, CancellationToken ct);

    /// <summary>Replaces the family if <paramref name="ifMatch"/> is still its ETag (412 CONCURRENT_UPDATE otherwise).</summary>
    Task<Versioned<RefreshFamily>> ReplaceAsync(RefreshFamily family, string ifMatch, CancellationToken ct);
}
