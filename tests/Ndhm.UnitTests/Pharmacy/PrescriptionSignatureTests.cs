using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Ndhm.Fhir;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.UnitTests.Security.Tokens;
using Xunit;

namespace Ndhm.UnitTests.Pharmacy;

public sealed class PrescriptionSignatureTests
{
    private static Prescription Sample()
    {
        var drug = DrugCatalogue.Sample().Find("SAMPLE-PCM-500-TAB")!;
        var at = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        return new Prescription("0f8fad5b-d9cb-469f-a165-70867728950e", "c1", "71234567890123", "Dr. Meera Iyer", "91123456789012", "IN2810000001", "R50",
            "Fever", at, at.AddDays(30),
            [new PrescribedItem(1, drug.Code, drug.Name, drug.Composition, drug.Strength, drug.Form, drug.Schedule, drug.List, "1 tablet", 3, 5, 15, true, null)],
            null, "");
    }

    private static async Task<(string Json, InMemorySigningKeys Keys)> SignedAsync()
    {
        var keys = new InMemorySigningKeys();
        var p = Sample();
        var json = await new PrescriptionSigner(keys).SignAsync(PrescriptionDocument.Build(p, "City Clinic"), p.DoctorHprId, p.Id, p.IssuedAt, default);
        return (json, keys);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenASignedPrescription_WhenVerifiedAgainstTheJwks_ThenValidAndNamingTheDoctor()
    {
        var (json, keys) = await SignedAsync();

        var result = PrescriptionSignatures.Verify(json, await keys.GetPublicKeysAsync(false, default));

        Assert.True(result.Valid, result.Reason);
        Assert.Equal("71234567890123", result.HprId);
        var bundle = FhirJson.ParseBundle(json);
        var request = bundle.Entry.Select(e => e.Resource).OfType<MedicationRequest>().Single();
        Assert.Equal(15m, request.DispenseRequest!.Quantity!.Value);
        Assert.True(((FhirBoolean)request.Substitution!.Allowed).Value);
        Assert.Equal("application/jose", bundle.Signature!.SigFormat);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenAnAlteredQuantity_WhenVerified_ThenItFails()
    {
        var (json, keys) = await SignedAsync();
        var bundle = FhirJson.ParseBundle(json);
        bundle.Entry.Select(e => e.Resource).OfType<MedicationRequest>().Single().DispenseRequest!.Quantity!.Value = 150;

        var result = PrescriptionSignatures.Verify(FhirJson.Serialize(bundle), await keys.GetPublicKeysAsync(false, default));

        Assert.False(result.Valid);
        Assert.Equal("the document was changed after it was signed", result.Reason);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenAPrescriptionSignedByAnotherKey_WhenVerifiedAgainstThePlatformJwks_ThenItFails()
    {
        var (_, platform) = await SignedAsync();
        var (forged, _) = await SignedAsync();

        Assert.False(PrescriptionSignatures.Verify(forged, await platform.GetPublicKeysAsync(false, default)).Valid);
    }

    [Fact]
    public async System.Threading.Tasks.Task GivenATamperedJwsPayload_WhenVerified_ThenItFails()
    {
        var (json, keys) = await SignedAsync();
        var node = JsonNode.Parse(json)!;
        var jws = Encoding.ASCII.GetString(Convert.FromBase64String(node["signature"]!["data"]!.GetValue<string>())).Split('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(jws[1])).Replace("71234567890123", "79999999999999");
        jws[1] = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        node["signature"]!["data"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Join('.', jws)));

        Assert.False(PrescriptionSignatures.Verify(node.ToJsonString(), await keys.GetPublicKeysAsync(false, default)).Valid);
    }
}
