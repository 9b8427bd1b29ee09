using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Keys;

namespace Ndhm.Consent;

/// <summary>
/// Offline verification of a consent artefact or event signature against the platform's JWKS, as a HIP or HIU does
/// it: the header's <c>kid</c> names the key, the algorithm must be the key's, the payload is returned when the
/// signature verifies (null otherwise).
/// </summary>
public static class ConsentSignatures
{
    public static JsonElement? Verify(string jws, IReadOnlyList<PublicJsonWebKey> keys) =>
        Verify(jws, keys, ConsentSigner.ArtefactType, ConsentSigner.EventType);

    /// <summary>The same check for another statement the platform signs (e.g. a data-transfer push token), by its <c>typ</c>.</summary>
    public static JsonElement? Verify(string jws, IReadOnlyList<PublicJsonWebKey> keys, params string[] types)
    {
        ArgumentNullException.ThrowIfNull(jws);
        ArgumentNullException.ThrowIfNull(types);
        var parts = jws.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            var alg = header.RootElement.GetProperty("alg").GetString();
            var kid = header.RootElement.GetProperty("kid").GetString();
            var typ = header.RootElement.TryGetProperty("typ", out var t) ? t.GetString() : null;
            if (typ is null || !types.Contains(typ)) return null;
            if (keys.FirstOrDefault(k => k.Kid == kid) is not { } key || PublicJsonWebKey.AlgorithmFor(key.Kty, key.Crv) != alg) return null;
            var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            var signature = Base64Url.DecodeFromChars(parts[2]);
            bool valid;
            if (alg == SigningAlgorithms.Es256)
            {
                using var ecdsa = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Base64Url.DecodeFromChars(key.X!), Y = Base64Url.DecodeFromChars(key.Y!) },
                });
                valid = signature.Length == 64 && ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            }
            else
            {
                using var rsa = RSA.Create(new RSAParameters { Modulus = Base64Url.DecodeFromChars(key.N!), Exponent = Base64Url.DecodeFromChars(key.E!) });
                valid = rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }

            if (!valid) return null;
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.Clone();
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or CryptographicException
                                      or ArgumentException)
        {
            return null;
        }
    }
}
