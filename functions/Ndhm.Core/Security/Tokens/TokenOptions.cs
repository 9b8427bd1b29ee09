namespace Ndhm.Core.Security.Tokens;

/// <summary>Settings shared by <see cref="JwtIssuer"/> and <see cref="JwtValidator"/>.</summary>
public sealed record TokenOptions
{
    /// <summary>The <c>iss</c> claim written and required (setting <c>Auth__Issuer</c>).</summary>
    public required string Issuer { get; init; }

    /// <summary>Lifetime of a token when the request does not set one.</summary>
    public TimeSpan DefaultLifetime { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Tolerated clock difference between issuer and validator, applied to exp and nbf.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Tokens longer than this are refused unread.</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;
}

/// <summary>What a token should say. <paramref name="ExtraClaims"/> cannot override the registered claims.</summary>
/// <param name="ClientId">
/// Set only for a partner session: written as <c>client_id</c> (RFC 9068), the partner the token was issued to, whose
/// being active the API checks on every request. A typed field rather than an extra claim, so no other issuer path
/// can set it by accident.
/// </param>
public sealed record TokenRequest(
    string Subject,
    string Audience,
    IReadOnlyCollection<string> Roles,
    TimeSpan? Lifetime = null,
    IReadOnlyDictionary<string, object?>? ExtraClaims = null,
    string? ClientId = null);

public sealed record IssuedToken(string Token, string TokenId, string KeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

internal static class JwtNames
{
    public const string Issuer = "iss";
    public const string Subject = "sub";
    public const string Audience = "aud";
    public const string IssuedAt = "iat";
    public const string NotBefore = "nbf";
    public const string Expires = "exp";
    public const string TokenId = "jti";
    public const string Roles = "roles";
    public const string ClientId = "client_id";

    public static readonly HashSet<string> Reserved = [Issuer, Subject, Audience, IssuedAt, NotBefore, Expires, TokenId, Roles, ClientId];
}
