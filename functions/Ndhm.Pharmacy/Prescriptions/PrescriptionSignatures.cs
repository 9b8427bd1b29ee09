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

    private static JsonElement? VerifyJws(string jws, IReadOnlyList<PublicJsonWebKey> keys) =>
        CanonicalJws.Verify(jws, PrescriptionSigner.Type, keys);
}
