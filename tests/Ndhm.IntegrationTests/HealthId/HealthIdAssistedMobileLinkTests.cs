using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// A person enrolled at a camp (no verified mobile) gets a way to log in: a worker of a verified facility links a mobile the
/// person holds, proven by an OTP to it and attested; then the person logs in by ABHA number and OTP.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdAssistedMobileLinkTests(SharedHealthIdHostFixture sandbox)
{
    private HttpClient Client => sandbox.Client;

    private static readonly object Attested = new { attested = true, method = "KNOWN_TO_WORKER" };

    [Fact]
    public async Task GivenACampEnrolledPerson_WhenAWorkerLinksTheirMobile_ThenTheyLogInByOtp_AndTheLinkIsAuditedOnce()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var number = await CampEnrolAsync(worker);
        var mobile = HealthIdHostFixture.NewMobileOnly().Mobile;

        var profile = await OkJsonAsync(await LinkAsync(worker, number, mobile, Attested));
        var loginTxn = (await OkJsonAsync(await PostAsync(Client, "v3/profile/login/request/otp",
            new { scope = new[] { "abha-login", "mobile-verify" }, loginHint = "abha-number", loginId = number, otpSystem = "abdm" })))
            .GetProperty("txnId").GetString()!;
        var login = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify",
            new { authData = OtpAuth(loginTxn, await ReadOtpAsync(Client, mobile, loginTxn)) }));
        using var again = await PostAsync(Client, "v3/assisted/profile/mobile/request/otp",
            new { abhaNumber = number, mobile = HealthIdHostFixture.NewMobileOnly().Mobile }, worker);

        Assert.Equal(mobile, profile.GetProperty("mobile").GetString());
        Assert.Equal(number, Number(login));
        Assert.False(string.IsNullOrEmpty(Token(login)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("MOBILE_ALREADY_VERIFIED", await again.Content.ReadAsStringAsync());
        var digits = number.Replace("-", "", StringComparison.Ordinal);
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(digits, "mobile.link.assisted"));
        var stored = (await HealthIdCosmos.ReadAccountAsync(number)).GetRawText();
        Assert.DoesNotContain(mobile, stored);
    }

    [Fact]
    public async Task GivenNoAttestation_OrAWorkerOfNoVerifiedFacility_WhenLinking_ThenRefused_AndTheMobileIsNotLinked()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var number = await CampEnrolAsync(worker);
        var mobile = HealthIdHostFixture.NewMobileOnly().Mobile;
        var unverified = await HealthIdWorkers.TokenAsync(Client, facilityId: null);

        var unattested = await LinkAsync(worker, number, mobile, new { attested = false, method = "KNOWN_TO_WORKER" });
        using var outsider = await PostAsync(Client, "v3/assisted/profile/mobile/request/otp", new { abhaNumber = number, mobile }, unverified);

        Assert.Equal(HttpStatusCode.BadRequest, unattested.StatusCode);
        Assert.Contains("ATTESTATION_MISSING", await unattested.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, outsider.StatusCode);
        Assert.Contains("FACILITY_NOT_VERIFIED", await outsider.Content.ReadAsStringAsync());
        Assert.False((await HealthIdCosmos.ReadAccountAsync(number)).TryGetProperty("mobileHash", out var hash) && hash.ValueKind == JsonValueKind.String);
    }

    private async Task<HttpResponseMessage> LinkAsync(string worker, string number, string mobile, object attestation)
    {
        var txn = await OkJsonAsync(await PostAsync(Client, "v3/assisted/profile/mobile/request/otp", new { abhaNumber = number, mobile }, worker));
        var txnId = txn.GetProperty("txnId").GetString()!;
        var otp = await ReadOtpAsync(Client, mobile, txnId);
        return await PostAsync(Client, "v3/assisted/profile/mobile/verify",
            new { abhaNumber = number, authData = OtpAuth(txnId, otp, mobile), attestation }, worker);
    }

    private async Task<string> CampEnrolAsync(string worker)
    {
        var tag = new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
        var record = new Dictionary<string, object?>
        {
            ["recordId"] = "r-1", ["firstName"] = "Sita", ["lastName"] = "Devi" + tag, ["yearOfBirth"] = 1979, ["gender"] = "F",
            ["district"] = "Purnia", ["state"] = "Bihar", ["pinCode"] = "854301",
            ["consent"] = new { code = "abha-enrollment", version = "1.4", language = "hi" },
            ["attestation"] = new { attested = true, method = "KNOWN_TO_WORKER", collectedAt = DateTimeOffset.UtcNow.AddHours(-3) },
        };
        var batch = new { batchId = "camp-" + Guid.NewGuid().ToString("N")[..12], programme = "NHM-OUTREACH", records = new[] { record } };
        var result = (await OkJsonAsync(await PostAsync(Client, "v3/assisted/enrollment/demographic/batches", batch, worker))).GetProperty("results")[0];
        Assert.Equal("ACCEPTED", result.GetProperty("status").GetString());
        return result.GetProperty("abhaNumber").GetString()!;
    }
}
