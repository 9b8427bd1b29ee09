using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.HealthId;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>
/// The README's walkthrough, end to end with the sample partners process: a sandbox KYC identity enrols, discovers
/// her records at the sample hospital (which matches her on its own records), links them with the OTP the hospital
/// sent her, the sample clinic asks for consent, she grants and later revokes, and both partners act on every step
/// (acknowledgements, the clinic's fetch of the artefact) over HTTP with their own credentials.
/// </summary>
public sealed class SamplePartnersStoryTests(SamplePartnersFixture sandbox) : IClassFixture<SamplePartnersFixture>
{
    /// <summary>Asha Verma, the first sandbox KYC identity (functions/Ndhm.HealthId/README.md); only this test enrols her.</summary>
    private static readonly TestIdentity Asha = new("999900000016", "9000000001", "Asha", "Verma");

    [Fact]
    [Trait("Certification", "USER_INIT_LINK_601")]
    [Trait("Certification", "HIP_INIT_GRANT_CONSENT")]
    [Trait("Certification", "HIP_INIT_REVOKE_CONSENT")]
    [Trait("Certification", "HIU_FLOW_101")]
    public async Task GivenTheSamplePartners_WhenAshaDiscoversLinksAndGrantsTheClinicsRequestThenRevokes_ThenTheHospitalAndClinicActOnEveryStep()
    {
        var partners = sandbox.Partners;
        var hospital = await partners.PartnerAsync("hospital");
        var enrolled = await HealthIdApi.EnrolAsync(sandbox.Client, Asha);
        var token = HealthIdApi.Token(enrolled);
        var handle = "asha" + Guid.NewGuid().ToString("N")[..8];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));
        var address = handle + "@sbx";

        // Discovery at the hospital's facility (the HIP id consents name): the hospital matches her verified mobile,
        // gender and year of birth to its MRN.
        var hipId = hospital.GetProperty("facilityId").GetString()!;
        var txn = (await sandbox.PatientAsync(token, HttpMethod.Post, "v1/patients/me/discover", new { hipId },
            HttpStatusCode.Accepted)).GetProperty("transactionId").GetString()!;
        var discovery = await sandbox.PatientUntilAsync(token, $"v1/patients/me/discoveries/{txn}", d => d.GetProperty("status").GetString() != "PENDING");
        Assert.True(discovery.GetProperty("status").GetString() == "FOUND", discovery.ToString());
        Assert.Equal("HOSP-MRN-1001", discovery.GetProperty("patient").GetProperty("referenceNumber").GetString());
        var references = discovery.GetProperty("patient").GetProperty("careContexts").EnumerateArray()
            .Select(c => c.GetProperty("referenceNumber").GetString()!).ToArray();
        Assert.Equal(["OP-2025-0412", "IP-2025-0831"], references);

        // Linking with the hospital's own OTP, which it "texted" to the mobile on its records.
        var linkRequest = (await sandbox.PatientAsync(token, HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = references },
            HttpStatusCode.Accepted)).GetProperty("linkRequestId").GetString()!;
        var awaiting = await sandbox.PatientUntilAsync(token, $"v1/patients/me/link-requests/{linkRequest}", r => r.GetProperty("status").GetString() != "REQUESTED");
        Assert.True(awaiting.GetProperty("status").GetString() == "AWAITING_OTP", awaiting.ToString());
        Assert.Equal("******0001", awaiting.GetProperty("communicationHint").GetString());
        var linkRef = awaiting.GetProperty("linkRefNumber").GetString()!;
        var sms = (await partners.GetAsync("hospital/sms?mobile=9000000001")).GetProperty("messages").EnumerateArray()
            .Single(m => m.GetProperty("linkRefNumber").GetString() == linkRef);
        await sandbox.PatientAsync(token, HttpMethod.Post, $"v1/patients/me/links/{linkRef}/confirm", new { otp = sms.GetProperty("otp").GetString() }, HttpStatusCode.Accepted);
        await sandbox.PatientUntilAsync(token, $"v1/patients/me/link-requests/{linkRequest}", r => r.GetProperty("status").GetString() == "LINKED");
        var links = await sandbox.PatientAsync(token, HttpMethod.Get, "v1/patients/me/links", null, HttpStatusCode.OK);
        var atHospital = links.GetProperty("hips").EnumerateArray().Single(h => h.GetProperty("hipId").GetString() == hipId);
        Assert.Equal(references, atHospital.GetProperty("careContexts").EnumerateArray().Select(c => c.GetProperty("referenceNumber").GetString()!).ToArray());

        // The clinic's doctor asks for her records at the hospital; on-init gives the clinic the platform's id.
        var asked = await partners.PostAsync("clinic/consent-requests", new { patient = address, hip = "hospital" }, HttpStatusCode.Accepted);
        var requestId = asked.GetProperty("requestId").GetString()!;
        var requested = await partners.UntilAsync($"clinic/consent-requests/{requestId}", r => r.GetProperty("status").GetString() != "SENT");
        Assert.True(requested.GetProperty("status").GetString() == "REQUESTED", requested.ToString());
        var consentRequestId = requested.GetProperty("consentRequestId").GetString()!;

        // She sees it and grants her linked care contexts; the hospital gets and acknowledges the artefact, the clinic
        // is told and fetches it.
        var pending = await sandbox.PatientAsync(token, HttpMethod.Get, "v1/patients/me/consent-requests?status=REQUESTED", null, HttpStatusCode.OK);
        Assert.Contains(pending.GetProperty("consentRequests").EnumerateArray(), r => r.GetProperty("id").GetString() == consentRequestId);
        var grant = new
        {
            hips = new[] { new { id = hipId, careContexts = references.Select(r => new { patientReference = "HOSP-MRN-1001", careContextReference = r }).ToArray() } },
        };
        var granted = await sandbox.PatientAsync(token, HttpMethod.Post, $"v1/patients/me/consent-requests/{consentRequestId}/grant", grant, HttpStatusCode.OK);
        var artefactId = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        var atClinic = await partners.UntilAsync($"clinic/consent-requests/{requestId}",
            r => r.GetProperty("status").GetString() == "GRANTED" && r.GetProperty("artefacts").EnumerateArray().Any(a => a.GetProperty("fetched").GetBoolean()));
        var fetched = atClinic.GetProperty("artefacts").EnumerateArray().Single();
        Assert.Equal(artefactId, fetched.GetProperty("id").GetString());
        Assert.Equal(hipId, fetched.GetProperty("hip").GetString());
        Assert.Equal(2, fetched.GetProperty("careContexts").GetArrayLength());
        var hipConsent = await partners.UntilAsync("hospital/consents", c => c.GetProperty("consents").TryGetProperty(artefactId, out _));
        Assert.Equal("GRANTED", hipConsent.GetProperty("consents").GetProperty(artefactId).GetProperty("status").GetString());
        await AcknowledgedAsync("hospital", "/v0.5/consents/hip/on-notify", artefactId);
        await AcknowledgedAsync("clinic", "/v0.5/consents/hiu/on-notify", artefactId);

        // The clinic asks for the data (issue #13): the hospital pushes encrypted documents with the HIP-side library, the
        // clinic holds them decrypted and valid with the HIU-side library, one per care context of the artefact.
        await partners.PostAsync("clinic/health-information-requests",
            new { consentId = artefactId, from = "2016-01-01T00:00:00.000Z", to = "2020-01-01T00:00:00.000Z" }, HttpStatusCode.Accepted);
        var held = await partners.UntilAsync("clinic/health-records", r => r.GetProperty("records").EnumerateArray()
            .Count(x => x.GetProperty("consentArtefactId").GetString() == artefactId) >= 2, TimeSpan.FromSeconds(120));
        var records = held.GetProperty("records").EnumerateArray().Where(x => x.GetProperty("consentArtefactId").GetString() == artefactId).ToList();
        Assert.Equal(references.Order(), records.Select(x => x.GetProperty("careContextReference").GetString()!).Order());
        Assert.All(records, x => Assert.Equal((hipId, address), (x.GetProperty("hipId").GetString(), x.GetProperty("patientId").GetString())));

        // She revokes: both partners are told and say so.
        await sandbox.PatientAsync(token, HttpMethod.Post, $"v1/patients/me/consents/{artefactId}/revoke", null, HttpStatusCode.OK);
        await partners.UntilAsync($"clinic/consent-requests/{requestId}", r => r.GetProperty("status").GetString() == "REVOKED");
        await partners.UntilAsync("hospital/consents",
            c => c.GetProperty("consents").GetProperty(artefactId).GetProperty("status").GetString() == "REVOKED");
    }

    /// <summary>The partner's on-notify for <paramref name="artefactId"/> was accepted by the platform (202).</summary>
    private async Task AcknowledgedAsync(string partner, string path, string artefactId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var sent = await sandbox.Partners.InboxAsync(partner, path, "sent");
            if (sent.Any(e => e.GetProperty("body").ToString().Contains(artefactId, StringComparison.Ordinal) && e.GetProperty("status").GetInt32() == 202)) return;
            Assert.True(DateTime.UtcNow < deadline, $"{partner} never had {path} for {artefactId} accepted: {string.Join('\n', sent)}");
            await Task.Delay(250);
        }
    }
}
