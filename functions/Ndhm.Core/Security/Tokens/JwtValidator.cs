using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;

namespace Ndhm.Core.Security.Tokens;

/// <summary>
/// Validates platform-issued bearer tokens against the published signing keys. Only ES256 and RS256 are
/// accepted, and only with a key of the matching type (no <c>none</c>, no HMAC, no algorithm confusion).
/// Failures throw <see cref="DomainException"/> with <see cref="ErrorCodes.InvalidToken"/> and a short reason
/// that tells a caller what to fix without telling an attacker what almost worked.
/// </summary>
public sealed class JwtValidator(ISigningKeys keys, TokenOptions options, TimeProvider time)
{
    public async Task<CallerIdentity> ValidateAsync(string token, string expectedAudience, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expectedAudience);
        if (string.IsNullOrEmpty(token) || token.Length > options.MaxTokenLength || !IsCompactJws(token))
            throw Invalid("The token is malformed.");

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[2].Length == 0) throw Invalid("The token is malformed.");

        using var header = ParseJson(parts[0]);
        var alg = RequiredString(header.RootElement, "alg");
        var kid = RequiredString(header.RootElement, "kid");
        if (alg is not (SigningAlgorithms.Es256 or SigningAlgorithms.Rs256)) throw Invalid("The token algorithm is not accepted.");
        if (header.RootElement.TryGetProperty("crit", out _)) throw Invalid("The token algorithm is not accepted.");

        var key = await FindKeyAsync(kid, ct) ?? throw Invalid("The token was signed by an unknown key.");
        var signature = DecodeOrThrow(parts[2]);
        var signingInput = Encoding.ASCII.GetBytes(token.AsSpan(0, parts[0].Length + 1 + parts[1].Length).ToString());
        if (!JwsSignatures.Verify(key, alg, signingInput, signature)) throw Invalid("The token signature is not valid.");

        // Only signed content is read from here on.
        using var payload = ParseJson(parts[1]);
        var claims = payload.RootElement;
        if (RequiredString(claims, JwtNames.Issuer) != options.Issuer) throw Invalid("The token issuer is not accepted.");
        if (!HasAudience(claims, expectedAudience)) throw Invalid("The token audience is not accepted.");

        var now = time.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(RequiredSeconds(claims, JwtNames.Expires));
        if (now >= expires + options.ClockSkew) throw Invalid("The token has expired.");
        if (claims.TryGetProperty(JwtNames.NotBefore, out _)
            && now + options.ClockSkew < DateTimeOffset.FromUnixTimeSeconds(RequiredSeconds(claims, JwtNames.NotBefore)))
            throw Invalid("The token is not yet valid.");

        var subject = RequiredString(claims, JwtNames.Subject);
        var tokenId = RequiredString(claims, JwtNames.TokenId);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        if (claims.TryGetProperty(JwtNames.Roles, out var rolesElement))
        {
            if (rolesElement.ValueKind != JsonValueKind.Array) throw Invalid("The token claims are malformed.");
            foreach (var role in rolesElement.EnumerateArray())
                roles.Add(role.ValueKind == JsonValueKind.String ? role.GetString()! : throw Invalid("The token claims are malformed."));
        }

        // Optional, but when present it must name a client: a partner-session token must never pass as an ordinary one.
        var clientId = claims.TryGetProperty(JwtNames.ClientId, out _) ? RequiredString(claims, JwtNames.ClientId) : null;

        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var claim in claims.EnumerateObject())
        {
            if (JwtNames.Reserved.Contains(claim.Name)) continue;
            extra[claim.Name] = claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText();
        }

        return new CallerIdentity(subject, roles, tokenId, expires) { Claims = extra, ClientId = clientId };
    }

    private async Task<PublicJsonWebKey?> FindKeyAsync(string kid, CancellationToken ct)
    {
        var key = (await keys.GetPublicKeysAsync(refresh: false, ct)).FirstOrDefault(k => k.Kid == kid);
        // A key version created since the cache was filled: look once more (the key source rate-limits this).
        return key ?? (await keys.GetPublicKeysAsync(refresh: true, ct)).FirstOrDefault(k => k.Kid == kid);
    }

    /// <summary>Only the base64url alphabet and dots: no padding, whitespace or characters a decoder might skip.</summary>
    private static bool IsCompactJws(string token)
    {
        foreach (var c in token)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        return true;
    }

    private static bool HasAudience(JsonElement claims, string expected)
    {
        if (!claims.TryGetProperty(JwtNames.Audience, out var aud)) return false;
        return aud.ValueKind switch
        {
            JsonValueKind.String => aud.GetString() == expected,
            JsonValueKind.Array => aud.EnumerateArray().Any(a => a.ValueKind == JsonValueKind.String && a.GetString() == expected),
            _ => false,
        };
    }

    private static JsonDocument ParseJson(string segment)
    {
        try
        {
            var document = JsonDocument.Parse(DecodeOrThrow(segment));
            if (document.RootElement.ValueKind == JsonValueKind.Object) return document;
            document.Dispose();
        }
        catch (JsonException)
        {
        }
        throw Invalid("The token is malformed.");
    }

    private static byte[] DecodeOrThrow(string segment)
    {
        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            throw Invalid("The token is malformed.");
        }
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw Invalid("The token claims are malformed.");

    private static long RequiredSeconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds is >= 0 and < 253402300800 // year 10000: DateTimeOffset's limit
            ? seconds
            : throw Invalid("The token claims are malformed.");

    private static DomainException Invalid(string reason) =>
        new(ErrorKind.Unauthenticated, ErrorCodes.InvalidToken, "The bearer token is not valid.", reason);
}
