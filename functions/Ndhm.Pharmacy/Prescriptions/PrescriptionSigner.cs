using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Ndhm.Audit;
using Ndhm.Core.Keys;
using Ndhm.Fhir;

namespace Ndhm.Pharmacy.Prescriptions;

/// <summary>
/// Signs a PrescriptionRecord bundle: Bundle.signature carries a compact JWS (RFC 7515) signed by the platform's
/// Key Vault key (header <c>alg</c>, <c>kid</c> as listed by <c>/api/.well-known/jwks.json</c>, <c>typ</c>
/// <see cref="Type"/>) whose payload names the doctor (<c>hprId</c>), the prescription and the SHA-256 of the bundle
/// as it is without its signature, in the JSON Canonicalization Scheme form (RFC 8785). A pharmacy verifies it
/// offline (<see cref="PrescriptionSignatures"/>): a forged signature or any change to the document fails.
/// </summary>
public sealed class PrescriptionSigner(ISigningKeys keys)
{
    public const string Type = "ndhm-prescription+jws";
    public const string SignatureTypeSystem = "urn:iso-astm:E1762-95:2013";
    public const string AuthorSignature = "1.2.840.10065.1.12.1.1";

    public async Task<string> SignAsync(Bundle bundle, string hprId, string prescriptionId, DateTimeOffset at, CancellationToken ct)
    {
        bundle.Signature = null;
        var payload = new Dictionary<string, object>
        {
            ["typ"] = "prescription",
            ["prescriptionId"] = prescriptionId,
            ["hprId"] = hprId,
            ["iat"] = at.ToUnixTimeSeconds(),
            ["bundleSha256"] = PrescriptionSignatures.Digest(bundle),
        };
        var jws = await CanonicalJws.SignAsync(keys, JsonSerializer.SerializeToElement(payload), Type, ct);
        var practitioner = bundle.Entry.First(e => e.Resource is Practitioner);
        bundle.Signature = new Signature
        {
            Type = [new Coding(SignatureTypeSystem, AuthorSignature, "Author's Signature")],
            WhenElement = new Instant(at),
            Who = new ResourceReference(practitioner.FullUrl),
            SigFormat = "application/jose",
            Data = Encoding.ASCII.GetBytes(jws),
        };
        return FhirJson.Serialize(bundle);
    }
}
