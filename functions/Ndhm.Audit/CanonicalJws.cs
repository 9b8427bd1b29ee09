using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Keys;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.Audit;

/// <summary>
/// A signed statement of the platform for any <c>typ</c>: a compact JWS (RFC 7515) whose payload is the canonical JSON
/// (RFC 8785, <see cref="AuditCanonicalJson"/>) of the statement, signed by the platform's Key Vault key (header
/// <c>alg</c>, <c>kid</c> = the versioned key id in <c>/api/.well-known/jwks.json</c>, <c>typ</c>), so anyone with the
/// JWKS verifies it offline and a statement of one kind is never taken for another (or for a token). Used by the
/// facility QR, consent artefacts and their status events, push tokens and e-prescriptions.
/// </summary>
public static class CanonicalJws
{
    public static async Task<string> SignAsync(ISigningKeys keys, JsonElement payload, string type, CancellationToken ct)
    {
        var key = await keys.GetCurrentAsync(ct);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = key.Algorithm, ["kid"] = key.KeyId, ["typ"] = type });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(AuditCanonicalJson.Serialize(payload));
        var signature = await keys.SignAsync(key, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), ct);
        var bytes = key.Algorithm == SigningAlgorithms.Es256 ? Es256Signatures.ToLowS(signature.Signature) : signature.Signature;
        return signingInput + "." + Base64Url.EncodeToString(bytes);
    }

    /// <summary>The payload when <paramref name="jws"/> has <c>typ</c> <paramref name="type"/> and verifies against one of <paramref name="keys"/>; else null.</summary>
    public static JsonElement? Verify(string jws, string type, IReadOnlyList<PublicJsonWebKey> keys) => Verify(jws, [type], keys);

    /// <summary>The payload when <paramref name="jws"/> has one of the <c>typ</c> values <paramref name="types"/> and verifies against one of <paramref name="keys"/>; else null.</summary>
    public static JsonElement? Verify(string jws, IReadOnlyCollection<string> types, IReadOnlyList<PublicJsonWebKey> keys) => Verify(jws, types, keys, out _);

    /// <summary>As <see cref="Verify(string, IReadOnlyCollection{string}, IReadOnlyList{PublicJsonWebKey})"/>, saying why it failed in <paramref name="reason"/>.</summary>
    public static JsonElement? Verify(string jws, IReadOnlyCollection<string> types, IReadOnlyList<PublicJsonWebKey> keys, out string reason)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(types);
        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            reason = "not a compact JWS";
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            if (!header.RootElement.TryGetProperty("typ", out var typ) || typ.GetString() is not { } name || !types.Contains(name))
            {
                reason = $"not a {string.Join(" or ", types)} signature (typ)";
                return null;
            }

            var alg = header.RootElement.GetProperty("alg").GetString();
            var kid = header.RootElement.GetProperty("kid").GetString();
            if (keys.FirstOrDefault(k => k.Kid == kid) is not { } key)
            {
                reason = $"signed by key {kid}, which the key set does not list";
                return null;
            }

            if (alg is null || !JwsSignatures.Verify(key, alg, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2])))
            {
                reason = "the signature does not verify";
                return null;
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            reason = "";
            return payload.RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            reason = "the JWS is malformed";
            return null;
        }
    }
}
