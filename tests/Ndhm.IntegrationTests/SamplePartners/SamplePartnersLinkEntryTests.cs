using System.Net;
using Ndhm.IntegrationTests.HealthId;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>The sample partners started with <c>--link-above-bytes 0</c>: the HIPs send every entry as a link.</summary>
public sealed class LinkingSamplePartnersFixture : SamplePartnersFixture
{
    protected override string[] PartnerArgs => ["--link-above-bytes", "0"];
}

/// <summary>
/// Link entries (ABDM <c>EntryLink</c>) between the sample partners over the real host: the hospital publishes the
/// encrypted record and pushes its link, the clinic fetches it from the hospital's <c>GET /hospital/entries/{token}</c>
/// (loopback, the sandbox allowance) and holds it decrypted and validated, as it would an inline entry.
/// </summary>
public sealed class SamplePartnersLinkEntryTests(LinkingSamplePartnersFixture sandbox) : IClassFixture<LinkingSamplePartnersFixture>
{
    [Fact]
    public async Task GivenAHospitalThatLinksEveryEntry_WhenTheClinicAsksForTheData_ThenItFetchesTheLinkAndHoldsTheDecryptedValidRecord()
    {
        var partners = sandbox.Partners;
        var hipId = (await partners.PartnerAsync("hospital")).GetProperty("facilityId").GetString()!;
        var identity = sandbox.NextIdentity();
        var token = HealthIdApi.Token(await HealthIdApi.EnrolAsync(sandbox.Client, identity));
        var handle = "link" + Guid.NewGuid().ToString("N")[..8];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));
        var address = handle + "@sbx";
        var hospitalPatients = new SampleHospitalPatients(sandbox);
        var mrn = await hospitalPatients.RegisterAsync(token, "OP-LINK-1");
        await hospitalPatients.LinkAsync(token, hipId, identity.Mobile, "OP-LINK-1");

        var requestId = (await partners.PostAsync("clinic/consent-requests", new { patient = address, hip = "hospital" }, HttpStatusCode.Accepted))
            .GetProperty("requestId").GetString()!;
        var consentRequestId = (await partners.UntilAsync($"clinic/consent-requests/{requestId}", r => r.GetProperty("status").GetString() == "REQUESTED"))
            .GetProperty("consentRequestId").GetString()!;
        var grant = new { hips = new[] { new { id = hipId, careContexts = new[] { new { patientReference = mrn, careContextReference = "OP-LINK-1" } } } } };
        var artefactId = (await sandbox.PatientAsync(token, HttpMethod.Post, $"v1/patients/me/consent-requests/{consentRequestId}/grant", grant, HttpStatusCode.OK))
            .GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        await partners.UntilAsync("hospital/consents", c => c.GetProperty("consents").TryGetProperty(artefactId, out _));
        await partners.PostAsync("clinic/health-information-requests",
            new { consentId = artefactId, from = "2016-01-01T00:00:00.000Z", to = "2020-01-01T00:00:00.000Z" }, HttpStatusCode.Accepted);
        var held = await partners.UntilAsync("clinic/health-records", r => r.GetProperty("records").EnumerateArray()
            .Any(x => x.GetProperty("consentArtefactId").GetString() == artefactId), TimeSpan.FromSeconds(120));

        var record = Assert.Single(held.GetProperty("records").EnumerateArray(), x => x.GetProperty("consentArtefactId").GetString() == artefactId);
        Assert.Equal(("OP-LINK-1", "Prescription", hipId, address), (record.GetProperty("careContextReference").GetString(), record.GetProperty("hiType").GetString(),
            record.GetProperty("hipId").GetString(), record.GetProperty("patientId").GetString()));
        // It came as a link: the push carried no content, and the clinic fetched the hospital's entry.
        var pushes = await partners.InboxAsync("clinic", "/v0.5/health-information/transfer", "received");
        var push = Assert.Single(pushes, p => p.GetProperty("body").ToString().Contains("OP-LINK-1", StringComparison.Ordinal)).GetProperty("body").ToString();
        Assert.Contains("\"link\":\"http://localhost:", push, StringComparison.Ordinal);
        Assert.DoesNotContain("\"content\"", push, StringComparison.Ordinal);
        Assert.NotEmpty(await partners.InboxAsync("hospital", "/entries", "received"));
    }
}
