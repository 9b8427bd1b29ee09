using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Privacy;

/// <summary>
/// The patient's data rights over the real host and emulators: the export of everything held about them, the nominee
/// (named, read, replaced, removed, activated by an admin only, each on the audit trail, invisible to other patients),
/// and erasure taking the nominee with it and ending the export.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class PatientDataRightsTests(SharedHealthIdHostFixture sandbox)
{
    private HttpClient Client => sandbox.Client;

    private sealed record Patient(TestIdentity Identity, string Number, string Digits, string Token, string Address);

    /// <summary>An enrolled patient with one ABHA address, logged in.</summary>
    private async Task<Patient> EnrolPatientAsync()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var token = Token(enrolled);
        var handle = "n" + Guid.NewGuid().ToString("N")[..12];
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/enrollment/enrol/abha-address", token, new { abhaAddress = handle, preferred = true }));
        var number = Number(enrolled);
        return new Patient(identity, number, number.Replace("-", "", StringComparison.Ordinal), token, handle + "@sbx");
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> ExportAsync(Patient patient)
    {
        var response = await SendAsync(Client, HttpMethod.Get, "v1/patients/me/export", patient.Token);
        var text = await response.Content.ReadAsStringAsync();
        return (response, JsonDocument.Parse(text).RootElement);
    }

    private static List<string?> Actions(JsonElement export) =>
        export.GetProperty("auditTrail").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entry").GetProperty("action").GetString()).ToList();

    private Task<string> AdminAsync() => SandboxHostFixture.TokenForAsync(Client, "ops-" + Guid.NewGuid().ToString("N")[..8], Roles.PlatformAdmin);

    private static object NomineeBody(Patient nominee, string relationship = "SPOUSE") =>
        new { abhaAddress = nominee.Address, name = "Nominee Person", relationship, mobile = "9876543210" };

    private static async Task<JsonElement?> RawNominationAsync(string digits)
    {
        var container = SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.HealthIds.Name);
        using var response = await container.ReadItemStreamAsync("nominee:" + digits, new PartitionKey("nominee:" + digits));
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await JsonDocument.ParseAsync(response.Content)).RootElement.Clone();
    }

    [Fact]
    public async Task GivenAnEnrolledPatientWhoUpdatedTheirProfile_WhenTheyExport_ThenTheDownloadHoldsTheirProfileAndTrail_AndAnotherPatientGetsOnlyTheirOwn()
    {
        var asha = await EnrolPatientAsync();
        var other = await EnrolPatientAsync();
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Patch, "v3/profile/account", asha.Token, new { email = "export.me@example.org" }));

        var (response, export) = await ExportAsync(asha);
        var (otherResponse, otherExport) = await ExportAsync(other);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"ndhm-patient-data-{asha.Digits}-", response.Content.Headers.ContentDisposition?.FileName?[..33]);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.Equal(("ndhm-patient-export/1", asha.Digits), (export.GetProperty("format").GetString(), export.GetProperty("subject").GetProperty("abhaNumber").GetString()));
        var profile = export.GetProperty("profile");
        Assert.Equal((asha.Number, "ACTIVE", "VERIFIED"), (profile.GetProperty("abhaNumber").GetString(), profile.GetProperty("status").GetString(), profile.GetProperty("kycStatus").GetString()));
        Assert.Equal((asha.Identity.FirstName, asha.Identity.LastName), (profile.GetProperty("name").GetProperty("firstName").GetString(), profile.GetProperty("name").GetProperty("lastName").GetString()));
        Assert.Equal(("export.me@example.org", asha.Identity.Mobile), (profile.GetProperty("email").GetString(), profile.GetProperty("mobile").GetString()));
        Assert.Equal(("1 Test Lane", "411001"), (profile.GetProperty("address").GetProperty("line").GetString(), profile.GetProperty("address").GetProperty("pinCode").GetString()));
        Assert.Equal([asha.Address], profile.GetProperty("abhaAddresses").EnumerateArray().Select(a => a.GetProperty("address").GetString()));
        Assert.False(profile.TryGetProperty("aadhaarHash", out _));
        Assert.Equal(("Bundle", "collection"), (export.GetProperty("linkedRecords").GetProperty("resourceType").GetString(), export.GetProperty("linkedRecords").GetProperty("type").GetString()));
        Assert.Equal(0, export.GetProperty("consents").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, export.GetProperty("nominee").ValueKind);

        var trail = export.GetProperty("auditTrail");
        Assert.Equal("patient:" + asha.Digits, trail.GetProperty("chain").GetString());
        var seqs = trail.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entry").GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(n => (long)n).Reverse(), seqs);
        var actions = Actions(export);
        Assert.Equal("data.export", actions[0]);
        Assert.Equal("profile.update", actions[1]);
        Assert.All(trail.GetProperty("entries").EnumerateArray(), e => Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("hash").GetString()));

        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        Assert.Equal(other.Digits, otherExport.GetProperty("subject").GetProperty("abhaNumber").GetString());
        var otherText = otherExport.GetRawText().Replace("-", "", StringComparison.Ordinal);
        Assert.DoesNotContain(asha.Digits, otherText, StringComparison.Ordinal);
        Assert.DoesNotContain("export.me@example.org", otherText, StringComparison.Ordinal);
        Assert.DoesNotContain(asha.Identity.LastName, otherText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTwoPatients_WhenOneNamesTheOther_ThenTheNomineeIsStoredEncrypted_ActivatedByAnAdminOnly_AuditedAtEachStep_AndHiddenFromOthers()
    {
        var asha = await EnrolPatientAsync();
        var ravi = await EnrolPatientAsync();
        var third = await EnrolPatientAsync();
        var admin = await AdminAsync();

        using var self = await SendAsync(Client, HttpMethod.Put, "v1/patients/me/nominee", asha.Token, NomineeBody(asha));
        using var unknown = await SendAsync(Client, HttpMethod.Put, "v1/patients/me/nominee", asha.Token,
            new { abhaAddress = "z" + Guid.NewGuid().ToString("N")[..12] + "@sbx", name = "Nobody", relationship = "OTHER" });
        var set = await OkJsonAsync(await SendAsync(Client, HttpMethod.Put, "v1/patients/me/nominee", asha.Token, NomineeBody(ravi)));
        var read = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v1/patients/me/nominee", asha.Token));
        using var othersView = await SendAsync(Client, HttpMethod.Get, "v1/patients/me/nominee", third.Token);
        using var byPatient = await SendAsync(Client, HttpMethod.Post, $"v1/admin/patients/{asha.Digits}/nominee/activate", asha.Token,
            new { reason = "INCAPACITY", evidenceReference = "MB/2026/1187" });
        using var noEvidence = await SendAsync(Client, HttpMethod.Post, $"v1/admin/patients/{asha.Digits}/nominee/activate", admin, new { reason = "DEATH" });
        var activated = await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, $"v1/admin/patients/{asha.Digits}/nominee/activate", admin,
            new { reason = "INCAPACITY", evidenceReference = "MB/2026/1187" }));
        var raw = await RawNominationAsync(asha.Digits);
        var replaced = await OkJsonAsync(await SendAsync(Client, HttpMethod.Put, "v1/patients/me/nominee", asha.Token, NomineeBody(third, "SIBLING")));
        using var deactivateInert = await SendAsync(Client, HttpMethod.Post, $"v1/admin/patients/{asha.Digits}/nominee/deactivate", admin, new { reason = "RECOVERED" });
        var (_, export) = await ExportAsync(asha);
        using var removed = await SendAsync(Client, HttpMethod.Delete, "v1/patients/me/nominee", asha.Token);
        using var afterRemoval = await SendAsync(Client, HttpMethod.Get, "v1/patients/me/nominee", asha.Token);

        Assert.Equal((HttpStatusCode.BadRequest, "NOMINEE_SELF"), (self.StatusCode, await CodeAsync(self)));
        Assert.Equal((HttpStatusCode.BadRequest, "NOMINEE_NOT_ELIGIBLE"), (unknown.StatusCode, await CodeAsync(unknown)));
        Assert.Equal((ravi.Address, "SPOUSE", "NOMINATED"), (set.GetProperty("abhaAddress").GetString(), set.GetProperty("relationship").GetString(), set.GetProperty("status").GetString()));
        Assert.Equal(set.GetRawText(), read.GetRawText());
        Assert.Equal((HttpStatusCode.NotFound, "NOMINEE_NOT_FOUND"), (othersView.StatusCode, await CodeAsync(othersView)));
        Assert.Equal(HttpStatusCode.Forbidden, byPatient.StatusCode);
        Assert.Equal((HttpStatusCode.BadRequest, "NOMINEE_EVIDENCE_INVALID"), (noEvidence.StatusCode, await CodeAsync(noEvidence)));
        Assert.Equal(("ACTIVE", "INCAPACITY", "MB/2026/1187"), (activated.GetProperty("status").GetString(),
            activated.GetProperty("activation").GetProperty("reason").GetString(), activated.GetProperty("activation").GetProperty("evidenceReference").GetString()));
        Assert.Equal((third.Address, "SIBLING", "NOMINATED"), (replaced.GetProperty("abhaAddress").GetString(), replaced.GetProperty("relationship").GetString(), replaced.GetProperty("status").GetString()));
        Assert.Equal((HttpStatusCode.Conflict, "NOMINEE_NOT_ACTIVE"), (deactivateInert.StatusCode, await CodeAsync(deactivateInert)));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterRemoval.StatusCode);

        // At rest: one envelope under Asha's key; neither the nominee's address or number nor the evidence in plaintext.
        var stored = raw!.Value.GetRawText();
        Assert.StartsWith("enc:v1:", raw.Value.GetProperty("nomination").GetString());
        foreach (var secret in new[] { ravi.Address, ravi.Digits, ravi.Number, "Nominee Person", "MB/2026/1187", "INCAPACITY", "9876543210" })
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);

        Assert.Equal(third.Address, export.GetProperty("nominee").GetProperty("abhaAddress").GetString());
        Assert.DoesNotContain(third.Digits, export.GetProperty("nominee").GetRawText().Replace("-", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var nomineeEvents = export.GetProperty("auditTrail").GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("entry"))
            .Where(e => e.GetProperty("resource").GetProperty("type").GetString() == "nominee").Reverse().ToList();
        Assert.Equal(["nominee.set", "nominee.read", "nominee.activate", "nominee.replace"], nomineeEvents.Select(e => e.GetProperty("action").GetString()));
        var activation = nomineeEvents[2];
        Assert.Equal((Roles.PlatformAdmin, "INCAPACITY"), (activation.GetProperty("actor").GetProperty("roles")[0].GetString(), activation.GetProperty("purpose").GetString()));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(asha.Digits, "nominee.remove"));
        Assert.Equal(0, await HealthIdCosmos.CountAuditAsync(third.Digits, "nominee.read"));
    }

    [Fact]
    public async Task GivenAPatientWithANominee_WhenTheyEraseTheirAccount_ThenTheNominationIsGone_AndTheExportAnswersSubjectErased()
    {
        var asha = await EnrolPatientAsync();
        var ravi = await EnrolPatientAsync();
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Put, "v1/patients/me/nominee", asha.Token, NomineeBody(ravi)));
        var (before, _) = await ExportAsync(asha);
        Assert.NotNull(await RawNominationAsync(asha.Digits));

        await ConfirmedAsync(Client, asha.Token, asha.Identity.Mobile, "delete");
        var (after, body) = await ExportAsync(asha);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Null(await RawNominationAsync(asha.Digits));
        Assert.Equal((HttpStatusCode.Gone, "SUBJECT_ERASED"), (after.StatusCode, body.GetProperty("code").GetString()));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(asha.Digits, "data.export"));
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
    }
}
