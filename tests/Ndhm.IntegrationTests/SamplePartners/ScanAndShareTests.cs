using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Keys;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.Linking.ProfileSharing;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>
/// Scan and share (ABDM SHARE_PATIENT_PROFILE_701) with the sample hospital: the platform issues it a signed QR for a
/// counter, a patient's scan sends their profile to the hospital's bridge, and the hospital's on-share gives the patient
/// a token number.
/// </summary>
public sealed class ScanAndShareTests(SamplePartnersFixture sandbox) : IClassFixture<SamplePartnersFixture>
{
    [Fact]
    [Trait("Certification", "SHARE_PATIENT_PROFILE_701")]
    public async Task SHARE_PATIENT_PROFILE_701_GivenTheHospitalsCounterQr_WhenAPatientScansIt_ThenTheHospitalGetsTheirProfileAndTheyGetItsTokenNumber()
    {
        var partners = sandbox.Partners;
        var hospital = await partners.PartnerAsync("hospital");
        var qr = await partners.PostAsync("hospital/facility-qr", new { counterId = "OPD-3" }, HttpStatusCode.Created);
        var text = qr.GetProperty("qr").GetString()!;
        Assert.Equal(hospital.GetProperty("facilityId").GetString(), qr.GetProperty("hipId").GetString());

        // Anyone verifies the QR offline against the platform's JWKS; it names the HIP and the counter.
        var jwks = await sandbox.Client.GetFromJsonAsync<JsonElement>("api/.well-known/jwks.json");
        var keys = jwks.GetProperty("keys").Deserialize<List<PublicJsonWebKey>>(Ndhm.Core.Json.NdhmJson.Options)!;
        var payload = CanonicalJws.Verify(text, FacilityQrSigner.Type, keys);
        Assert.NotNull(payload);
        Assert.Equal((hospital.GetProperty("facilityId").GetString(), "OPD-3", "sbx"),
            (payload!.Value.GetProperty("hipId").GetString(), payload.Value.GetProperty("counterId").GetString(), payload.Value.GetProperty("cm").GetString()));

        var enrolled = await HealthIdApi.EnrolAsync(sandbox.Client, sandbox.NextIdentity());
        var token = HealthIdApi.Token(enrolled);
        var handle = "share" + Guid.NewGuid().ToString("N")[..8];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));

        // A QR the platform did not sign (its payload edited) is refused and sends nothing.
        var parts = text.Split('.');
        var forged = parts[0] + "." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            payload.Value.GetRawText().Replace("OPD-3", "OPD-4", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "." + parts[2];
        var refused = await sandbox.PatientAsync(token, HttpMethod.Post, "v1/patients/me/profile/share", new { qr = forged }, HttpStatusCode.BadRequest);
        Assert.Equal(ProfileShareService.InvalidQr, refused.GetProperty("code").GetString());

        var shared = await sandbox.PatientAsync(token, HttpMethod.Post, "v1/patients/me/profile/share", new { qr = text }, HttpStatusCode.Accepted);
        var requestId = shared.GetProperty("requestId").GetString()!;
        Assert.Equal(("PENDING", "OPD-3"), (shared.GetProperty("status").GetString(), shared.GetProperty("counterId").GetString()));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        JsonElement share;
        while ((share = await sandbox.PatientAsync(token, HttpMethod.Get, $"v1/patients/me/profile/shares/{requestId}", null, HttpStatusCode.OK))
               .GetProperty("status").GetString() == "PENDING")
        {
            Assert.True(DateTime.UtcNow < deadline, $"the share stayed PENDING\n{partners.Output}");
            await Task.Delay(250);
        }

        Assert.Equal("SHARED", share.GetProperty("status").GetString());
        var tokenNumber = share.GetProperty("tokenNumber").GetString()!;
        Assert.StartsWith("OPD-3-", tokenNumber, StringComparison.Ordinal);

        // The hospital received the profile ABDM's way (hipCode = the counter) and queued the patient under that token.
        var received = (await partners.InboxAsync("hospital", "/v0.5/patients/profile/share", "received"))
            .Single(e => e.GetProperty("requestId").GetString() == requestId).GetProperty("body").GetProperty("profile");
        Assert.Equal(("OPD-3", handle + "@sbx"),
            (received.GetProperty("hipCode").GetString(), received.GetProperty("patient").GetProperty("healthId").GetString()));
        Assert.Matches(@"^\d{2}-\d{4}-\d{4}-\d{4}$", received.GetProperty("patient").GetProperty("healthIdNumber").GetString());
        var queue = (await partners.GetAsync("hospital/queue")).GetProperty("queue").EnumerateArray();
        Assert.Contains(queue, q => q.GetProperty("tokenNumber").GetString() == tokenNumber && q.GetProperty("healthId").GetString() == handle + "@sbx");

        // Another patient cannot read the share.
        var other = HealthIdApi.Token(await HealthIdApi.EnrolAsync(sandbox.Client, sandbox.NextIdentity()));
        await sandbox.PatientAsync(other, HttpMethod.Get, $"v1/patients/me/profile/shares/{requestId}", null, HttpStatusCode.NotFound);
    }
}

/// <summary>ABDM patients/sms/notify from the sample hospital: the platform sends the SMS and acknowledges with on-notify.</summary>
public sealed class PatientSmsNotifyTests(SamplePartnersFixture sandbox) : IClassFixture<SamplePartnersFixture>
{
    [Fact]
    public async Task GivenTheHospital_WhenItTextsAPatientThatRecordsAreReady_ThenTheHospitalGetsOnNotifyAcknowledged_AndABadPhoneIsA400()
    {
        var partners = sandbox.Partners;
        using (var accepted = await partners.Client.PostAsJsonAsync("hospital/sms-notify",
                   new { phoneNo = "+91-9000000001", receiverName = "Asha Verma", careContextInfo = "X-Ray on 2nd Dec" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        IReadOnlyList<JsonElement> acks;
        while ((acks = await partners.InboxAsync("hospital", "/v0.5/patients/sms/on-notify", "received")).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no on-notify\n" + partners.Output);
            await Task.Delay(250);
        }

        var sent = (await partners.InboxAsync("hospital", "/v0.5/patients/sms/notify", "sent")).Single();
        var ack = acks.Single().GetProperty("body");
        Assert.Equal(("ACKNOWLEDGED", sent.GetProperty("requestId").GetString()),
            (ack.GetProperty("status").GetString(), ack.GetProperty("resp").GetProperty("requestId").GetString()));

        var refused = await partners.PostAsync("hospital/sms-notify", new { phoneNo = "12345", careContextInfo = "X-Ray" }, HttpStatusCode.BadRequest);
        Assert.Equal("ABDM-1017", refused.GetProperty("error").GetProperty("code").GetString());
    }
}
