using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Ndhm.Audit;
using Ndhm.Core.Keys;
using Ndhm.Fhir;

namespace Ndhm.Pharmacy.Prescriptions;

/// <summary>The outcome of verifying a signed prescription; <see cref="Reason"/> says why it failed.</summary>
public sealed record PrescriptionVerification(bool Valid, string? Reason, string? PrescriptionId, string? HprId);

/// <summary>
/// Offline verification of a signed prescription bundle against the platform's JWKS, as a pharmacy does it: the JWS
/// in Bundle.signature must verify under the key its <c>kid</c> names, its digest must be that of the bundle without
/// its signature, and the HPR id it names must be the document's practitioner.
/// </summary>
public static class PrescriptionSignatures
{
    public static PrescriptionVerification Verify(string bundleJson, IReadOnlyList<PublicJsonWebKey> keys)
    {
        Bundle bundle;
        try
        {
            bundle = FhirJson.ParseBundle(bundleJson);
        }
        catch (Ndhm.Core.Errors.DomainException)
        {
            return Fail("not a FHIR bundle");
        }

        if (bundle.Signature?.Data is not { Length: > 0 } data) return Fail("no signature");
        var jws = Encoding.ASCII.GetString(data);
        var payload = VerifyJws(jws, keys);
        if (payload is null) return Fail("the signature does not verify against the platform's keys");
        var p = payload.Value;
        if (!p.TryGetProperty("bundleSha256", out var digest) || !p.TryGetProperty("hprId", out var hpr) || !p.TryGetProperty("prescriptionId", out var id))
            return Fail("the signature does not describe a prescription");
        bundle.Signature = null;
        if (digest.GetString() != Digest(bundle)) return Fail("the document was changed after it was signed");
        var practitioner = bundle.Entry.Select(e => e.Resource).OfType<Practitioner>().FirstOrDefault();
        if (practitioner?.Identifier.FirstOrDefault()?.Value != hpr.GetString()) return Fail("the signature names another practitioner");
        return new PrescriptionVerification(true, null, id.GetString(), hpr.GetString());
    }

    /// <summary>base64url SHA-256 of the bundle's RFC 8785 canonical JSON (the bundle must carry no signature).</summary>
    public static string Digest(Bundle unsigned)
    {
        using var json = JsonDocument.Parse(FhirJson.SerializeToUtf8Bytes(unsigned));
        return Base64Url.EncodeToString(SHA256.HashData(AuditCanonicalJson.Serialize(json.RootElement)));
    }

    private static PrescriptionVerification Fail(string reason) => new(false, reason, null, null);

    private static JsonElement? VerifyJws(string jws, IReadOnlyList<PublicJsonWebKey> keys)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            var alg = header.RootElement.GetProperty("alg").GetString();
            var kid = header.RootElement.GetProperty("kid").GetString();
            var typ = header.RootElement.TryGetProperty("typ", out var t) ? t.GetString() : null;
            if (typ != PrescriptionSigner.Type) return null;
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
