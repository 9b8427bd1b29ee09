using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Audit;

/// <summary>
/// Compact JWS (RFC 7515) over canonical JSON payloads, signed by the platform's Key Vault key
/// (<see cref="ISigningKeys"/>) and verified against its published JWKS. Header: <c>alg</c>, <c>kid</c> (the
/// versioned key id) and <c>typ</c> <c>ndhm-audit+jws</c>, so an audit signature is never mistaken for a token.
/// </summary>
public sealed class AuditJws(ISigningKeys keys) : IAuditHeadSigner
{
    public const string Type = "ndhm-audit+jws";

    public async Task<string> SignAsync(JsonElement payload, CancellationToken ct)
    {
        var key = await keys.GetCurrentAsync(ct);
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = key.Algorithm, ["kid"] = key.KeyId, ["typ"] = Type });
        var signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(AuditCanonicalJson.Serialize(payload));
        var signature = await keys.SignAsync(key, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), ct);
        return signingInput + "." + Base64Url.EncodeToString(signature.Signature);
    }

    /// <summary>The payload when <paramref name="jws"/> is signed by one of <paramref name="publicKeys"/>; null otherwise (with the reason).</summary>
    public static JsonElement? Verify(string jws, IReadOnlyList<PublicJsonWebKey> publicKeys, out string reason)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            reason = "not a compact JWS";
            return null;
        }

        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            var alg = header.RootElement.GetProperty("alg").GetString();
            var kid = header.RootElement.GetProperty("kid").GetString();
            if (!header.RootElement.TryGetProperty("typ", out var typ) || typ.GetString() != Type)
            {
                reason = "not an audit signature (typ)";
                return null;
            }

            if (publicKeys.FirstOrDefault(k => k.Kid == kid) is not { } key)
            {
                reason = $"signed by key {kid}, which the key set does not list";
                return null;
            }

            if (alg is null || !VerifySignature(key, alg, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2])))
            {
                reason = "the signature does not verify";
                return null;
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            reason = "";
            return payload.RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            reason = "the JWS is malformed";
            return null;
        }
    }

    private static bool VerifySignature(PublicJsonWebKey key, string alg, byte[] signingInput, byte[] signature)
    {
        if (PublicJsonWebKey.AlgorithmFor(key.Kty, key.Crv) != alg || (key.Alg is { } keyAlg && keyAlg != alg)) return false;
        try
        {
            if (alg == SigningAlgorithms.Es256)
            {
                if (signature.Length != 64 || key.X is null || key.Y is null) return false;
                using var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Base64Url.DecodeFromChars(key.X), Y = Base64Url.DecodeFromChars(key.Y) },
                });
                return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }

            if (key.N is null || key.E is null) return false;
            using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(key.N), Exponent = Base64Url.DecodeFromChars(key.E) });
            return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
    }
}
