using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Concurrency;

namespace Ndhm.Core.Security.Tokens;

/// <summary>A refresh token the family no longer accepts, kept until it would have expired so its reuse is recognised.</summary>
public sealed record RotatedRefreshToken(string Hash, DateTimeOffset ExpiresAt);

/// <summary>
/// The refresh tokens descended from one sign-in (a partner's client-credentials session, a patient's login). Only
/// one is current; each refresh replaces it (rotation). <see cref="Owner"/> is whom the tokens act for (a partner's
/// client id, a patient's ABHA number); <see cref="Binding"/> is what the family is bound to besides (the partner's
/// secret as it was at sign-in, so a new secret ends every family; empty when nothing is).
/// </summary>
public sealed record RefreshFamily(
    string FamilyId,
    string Owner,
    string Binding,
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
    /// <summary>The current token, in time, of a family whose owner may still sign in: issue and rotate.</summary>
    Rotate,
    /// <summary>A token this family already replaced: someone else holds a copy. Revoke the family.</summary>
    Reuse,
    /// <summary>Anything else (unknown, expired, revoked family, owner no longer valid): refuse.</summary>
    Refuse,
}

/// <summary>Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP, section 4.14.2).</summary>
public static class RefreshTokenRotation
{
    public static RefreshFamily Start(string owner, string binding, RefreshTokenValue token, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new(token.FamilyId, owner, binding, token.Hash, now + lifetime, [], now);
    }

    /// <param name="ownerValid">Whether the owner may still sign in (an active partner with the same secret, a live ABHA).</param>
    public static RefreshVerdict Judge(RefreshFamily family, RefreshTokenValue presented, bool ownerValid, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(presented);
        if (family.Revoked || presented.FamilyId != family.FamilyId)
        {
            return RefreshVerdict.Refuse;
        }

        var hash = presented.Hash;
        if (SameHash(hash, family.CurrentHash))
        {
            return now < family.CurrentExpiresAt && ownerValid ? RefreshVerdict.Rotate : RefreshVerdict.Refuse;
        }

        return family.Rotated.Any(r => SameHash(hash, r.Hash)) ? RefreshVerdict.Reuse : RefreshVerdict.Refuse;
    }

    /// <summary>The presented (current) token joins the rotated ones; those past their own expiry are forgotten.</summary>
    public static RefreshFamily Rotate(RefreshFamily family, RefreshTokenValue next, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(next);
        return family with
        {
            CurrentHash = next.Hash,
            CurrentExpiresAt = now + lifetime,
            Rotated = family.Rotated.Where(r => r.ExpiresAt > now).Append(new RotatedRefreshToken(family.CurrentHash, family.CurrentExpiresAt)).ToList(),
        };
    }

    public static RefreshFamily Revoke(RefreshFamily family, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(family);
        return family.Revoked ? family : family with { RevokedAt = now };
    }

    private static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}

/// <summary>
/// Port: refresh-token families. Each owner's adapter finds a family its own way (a partner's by client id and family
/// id, a patient's by family id); creating, replacing and re-reading are common.
/// </summary>
public interface IRefreshFamilyStore
{
    Task<Versioned<RefreshFamily>> CreateAsync(RefreshFamily family, CancellationToken ct);

    /// <summary>Replaces the family if <paramref name="ifMatch"/> is still its ETag (412 CONCURRENT_UPDATE otherwise).</summary>
    Task<Versioned<RefreshFamily>> ReplaceAsync(RefreshFamily family, string ifMatch, CancellationToken ct);

    /// <summary>The family as stored now (after a concurrent change), or null when it is gone.</summary>
    Task<Versioned<RefreshFamily>?> ReloadAsync(RefreshFamily family, CancellationToken ct);
}
