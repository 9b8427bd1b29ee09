using System.Text.Json.Nodes;
using Ndhm.Privacy;

namespace Ndhm.UnitTests.Privacy;

public sealed class DataKeyRewrapTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task GivenARotatedWrappingKey_WhenTheJobRunsInPages_ThenEveryKeyNamesTheNewVersion_AndOldCiphertextStillDecrypts()
    {
        var rig = new PrivacyRig();
        var stored = new Dictionary<DataKeyScope, string>();
        for (var i = 0; i < 5; i++)
        {
            var scope = DataKeyScope.Patient("91-0000-0000-000" + i);
            stored[scope] = await rig.Fields.EncryptAsync(scope, "doc", "name", "Patient " + i, None);
        }

        var newVersion = rig.Wrapper.Rotate();
        var firstPage = await rig.RewrapJob().RunAsync(None, pageSize: 2, maxPages: 1);
        var rest = await rig.RewrapJob().RunAsync(None, pageSize: 2);
        var again = await rig.RewrapJob().RunAsync(None, pageSize: 2);

        Assert.Equal((2L, 2L, false), (firstPage.Visited, firstPage.Changed, firstPage.Completed));
        Assert.Equal((5L, 5L, true), (rest.Visited, rest.Changed, rest.Completed));
        Assert.Equal(rest, again);
        Assert.All(rig.Store.All, r => Assert.Equal(newVersion, r.Wrapped!.KeyId));
        rig.Cache.Clear();
        foreach (var (scope, envelope) in stored)
        {
            Assert.StartsWith("Patient ", await rig.Fields.DecryptAsync(scope, "doc", "name", envelope, None));
        }
    }

    [Fact]
    public async Task GivenAKeyNotYetRewrapped_WhenRead_ThenTheOldWrappingVersionStillUnwrapsIt()
    {
        var rig = new PrivacyRig();
        var scope = DataKeyScope.Patient("91-0000-0000-0009");
        var envelope = await rig.Fields.EncryptAsync(scope, "doc", "name", "Old", None);
        var oldVersion = rig.Wrapper.Current;
        rig.Wrapper.Rotate();
        rig.Cache.Clear();

        Assert.Equal("Old", await rig.Fields.DecryptAsync(scope, "doc", "name", envelope, None));
        Assert.Equal(oldVersion, rig.Store.All.Single().Wrapped!.KeyId);
    }

    [Fact]
    public async Task GivenPlaintextDocuments_WhenTheEncryptorRunsTwice_ThenPlaintextFieldsAreEncryptedOnce_AndDecryptToTheOriginal()
    {
        var rig = new PrivacyRig();
        var encryptor = new PlaintextFieldEncryptor(rig.Fields);
        var plan = new FieldEncryptionPlan("test", "registry", "docType", "professional", ["personal.mobile", "personal.email", "absent.field"],
            d => DataKeyScope.Professional(d["id"]!.GetValue<string>()));
        var document = JsonNode.Parse("""{"id":"71-1","docType":"professional","name":"Dr A","personal":{"mobile":"9876543210","email":null}}""")!.AsObject();

        var first = await encryptor.EncryptInPlaceAsync(plan, document, None);
        var afterFirst = document.ToJsonString();
        var second = await encryptor.EncryptInPlaceAsync(plan, document, None);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(afterFirst, document.ToJsonString());
        var mobile = document["personal"]!["mobile"]!.GetValue<string>();
        Assert.True(FieldCipher.IsEnvelope(mobile));
        Assert.Null(document["personal"]!["email"]);
        Assert.Equal("Dr A", document["name"]!.GetValue<string>());
        Assert.Equal("9876543210", await rig.Fields.DecryptAsync(DataKeyScope.Professional("71-1"), "71-1", "personal.mobile", mobile, None));
    }

    [Fact]
    public async Task GivenJsonFields_WhenEncryptedThenDecryptedInPlace_ThenObjectsAndStringsComeBackAsTheyWere_AndPlaintextReadsAsIs()
    {
        var rig = new PrivacyRig();
        var encryptor = new PlaintextFieldEncryptor(rig.Fields);
        var plan = new FieldEncryptionPlan("test", "health-ids", "kycStatus", "VERIFIED", ["name", "mobile", "address"],
            d => DataKeyScope.Patient(d["id"]!.GetValue<string>()), ["name", "address"]);
        const string original = """{"id":"91123412341234","name":{"firstName":"Asha","lastName":"Verma"},"mobile":"9876543210","address":{"pinCode":"411001"}}""";
        var document = JsonNode.Parse(original)!.AsObject();
        var undeclared = JsonNode.Parse("""{"id":"91123412341234","name":{"firstName":"Asha"}}""")!.AsObject();
        var plaintext = JsonNode.Parse(original)!.AsObject();

        await encryptor.EncryptInPlaceAsync(plan, document, None);
        var encrypted = document.ToJsonString();
        var undeclaredChanged = await encryptor.EncryptInPlaceAsync(plan with { JsonFieldPaths = null }, undeclared, None);
        await encryptor.DecryptInPlaceAsync(plan, document, None);
        await encryptor.DecryptInPlaceAsync(plan, plaintext, None);

        Assert.True(FieldCipher.IsEnvelope(JsonNode.Parse(encrypted)!["name"]!.GetValue<string>()));
        Assert.True(FieldCipher.IsEnvelope(JsonNode.Parse(encrypted)!["address"]!.GetValue<string>()));
        Assert.DoesNotContain("Asha", encrypted, StringComparison.Ordinal);
        Assert.False(undeclaredChanged);
        Assert.Equal(original, document.ToJsonString());
        Assert.Equal(original, plaintext.ToJsonString());
    }
}
