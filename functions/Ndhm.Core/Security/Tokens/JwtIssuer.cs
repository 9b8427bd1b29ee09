using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Core.Security.Tokens;

/// <summary>
/// Issues compact JWS tokens (RFC 7515/7519) signed by the Key Vault signing key. The header names the
/// versioned key id as <c>kid</c>, so validators pick the right key after rotation.
/// </summary>
public sealed class JwtIssuer(ISigningKeys keys, TokenOptions options, TimeProvider time)
{
    public async Task<IssuedToken> IssueAsync(TokenRequest request, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Audience);
        if (request.ClientId is not null) ArgumentException.ThrowIfNullOrWhiteSpace(request.ClientId, nameof(request));
        var lifetime = request.Lifetime ?? options.DefaultLifetime;
        if (lifetime <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(request), "Token lifetime must be positive.");
        if (request.ExtraClaims?.Keys.FirstOrDefault(JwtNames.Reserved.Contains) is { } clash)
            throw new ArgumentException($"Claim '{clash}' is set by the issuer and cannot be overridden.", nameof(request));

        var key = await keys.GetCurrentAsync(ct);
        // Whole seconds: NumericDate has no fractions, and exp must not round past the requested lifetime.
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds());
        var expiresAt = issuedAt + lifetime;
        var tokenId = Guid.NewGuid().ToString("N");

        var header = Serialize(writer =>
        {
            writer.WriteString("alg", key.Algorithm);
            writer.WriteString("typ", "JWT");
            writer.WriteString("kid", key.KeyId);
        });
        var payload = Serialize(writer =>
        {
            writer.WriteString(JwtNames.Issuer, options.Issuer);
            writer.WriteString(JwtNames.Subject, request.Subject);
            writer.WriteString(JwtNames.Audience, request.Audience);
            writer.WriteNumber(JwtNames.IssuedAt, issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber(JwtNames.NotBefore, issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber(JwtNames.Expires, expiresAt.ToUnixTimeSeconds());
            writer.WriteString(JwtNames.TokenId, tokenId);
            writer.WriteStartArray(JwtNames.Roles);
            foreach (var role in request.Roles.Distinct(StringComparer.Ordinal)) writer.WriteStringValue(role);
            writer.WriteEndArray();
            if (request.ClientId is not null) writer.WriteString(JwtNames.ClientId, request.ClientId);
            foreach (var (name, value) in request.ExtraClaims ?? new Dictionary<string, object?>())
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, value, NdhmJson.Options);
            }
        });

        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        var digest = SHA256.HashData(Encoding.ASCII.GetBytes(signingInput));
        var signature = await keys.SignAsync(key, digest, ct);
        if (signature.Algorithm != key.Algorithm || signature.KeyId != key.KeyId)
            throw new InvalidOperationException("The signing service used a different key than the token header names.");

        var bytes = key.Algorithm == SigningAlgorithms.Es256 ? Es256Signatures.ToLowS(signature.Signature) : signature.Signature;
        return new IssuedToken(signingInput + "." + Base64Url.EncodeToString(bytes), tokenId, key.KeyId, issuedAt, expiresAt);
    }

    private static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
