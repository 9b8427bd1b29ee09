using System.Net;
using System.Text;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>Assisted enrolment by Aadhaar biometrics against the sandbox's UIDAI (documented test PID blocks).</summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdBiometricEnrolmentTests(SharedHealthIdHostFixture sandbox)
{
    private const string Path = "v3/assisted/enrollment/enrol/byBiometric";
    private static readonly string Match = Pid("SANDBOX-PID:MATCH");

    private HttpClient Client => sandbox.Client;

    private static string Pid(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static object Body(string aadhaar, string pid, string bioType = "FINGERPRINT") => new
    {
        authData = new { authMethods = new[] { "bio" }, bio = new { aadhaar, bioType, pid } },
        consent = new { code = "abha-enrollment", version = "1.4", language = "hi" },
    };

    [Theory]
    [InlineData("FINGERPRINT")]
    [InlineData("IRIS")]
    [InlineData("FACE")]
    [Trait("M1", "CRT_ABHA_201")]
    [Trait("M1", "CRT_ABHA_202")]
    [Trait("M1", "CRT_ABHA_203")]
    public async Task GivenAMatchingBiometric_WhenAWorkerOfAVerifiedFacilityEnrols_ThenAnAadhaarVerifiedAbha_AndNoBiometricIsStored(string bioType)
    {
        var identity = sandbox.NextIdentity();
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);

        var json = await OkJsonAsync(await PostAsync(Client, Path, Body(identity.Aadhaar, Match, bioType), worker));

        Assert.True(json.GetProperty("isNew").GetBoolean());
        var profile = json.GetProperty("ABHAProfile");
        Assert.True(profile.GetProperty("kycVerified").GetBoolean());
        Assert.Equal(identity.LastName, profile.GetProperty("lastName").GetString());
        Assert.Equal("hi", profile.GetProperty("consent").GetProperty("language").GetString());
        var stored = await HealthIdCosmos.ReadAccountAsync(Number(json));
        Assert.DoesNotContain(Match, stored.GetRawText());
        Assert.DoesNotContain(identity.Aadhaar, stored.GetRawText());
        Assert.False(stored.GetProperty("mobileVerified").GetBoolean());
        Assert.StartsWith("worker-", stored.GetProperty("assistedBy").GetProperty("workerId").GetString());
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(Number(json).Replace("-", "", StringComparison.Ordinal), "abha.enrol.biometric"));
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_204")]
    public async Task GivenAnAadhaarAlreadyEnrolledByOtp_WhenEnrolledByBiometric_ThenTheSameAbhaIsReturned()
    {
        var identity = sandbox.NextIdentity();
        var first = await EnrolAsync(Client, identity);
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);

        var again = await OkJsonAsync(await PostAsync(Client, Path, Body(identity.Aadhaar, Match), worker));

        Assert.False(again.GetProperty("isNew").GetBoolean());
        Assert.Equal(Number(first), Number(again));
    }

    [Theory]
    [InlineData("SANDBOX-PID:NO-MATCH", "FINGERPRINT", "BIOMETRIC_MISMATCH")]
    [InlineData("SANDBOX-PID:DEVICE-ERROR", "IRIS", "BIOMETRIC_DEVICE_ERROR")]
    [InlineData(null, "FACE", "PID_BLOCK_INVALID")]
    [InlineData("SANDBOX-PID:MATCH", "VOICE", "BIO_TYPE_INVALID")]
    [Trait("M1", "CRT_ABHA_205")]
    [Trait("M1", "CRT_ABHA_206")]
    public async Task GivenAFailedCapture_WhenEnrolling_ThenProblemWithItsCode_AndNoAccount(string? pidText, string bioType, string code)
    {
        var identity = sandbox.NextIdentity();
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);
        var pid = pidText is null ? "%%% not base64 %%%" : Pid(pidText);

        using var response = await PostAsync(Client, Path, Body(identity.Aadhaar, pid, bioType), worker);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        var enrolled = await EnrolAsync(Client, identity);
        Assert.True(enrolled.GetProperty("isNew").GetBoolean());
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_207")]
    public async Task GivenAWorkerWithoutAVerifiedFacility_WhenEnrolling_ThenFacilityNotVerified()
    {
        var identity = sandbox.NextIdentity();
        var worker = await HealthIdWorkers.TokenAsync(Client, facilityId: null);

        using var response = await PostAsync(Client, Path, Body(identity.Aadhaar, Match), worker);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FACILITY_NOT_VERIFIED");
    }

    [Fact]
    public async Task GivenAnInvalidAadhaarOrNoConsent_WhenEnrolling_ThenBadRequest()
    {
        var worker = await HealthIdWorkers.OfVerifiedFacilityAsync(Client);

        using var invalid = await PostAsync(Client, Path, Body("999900000017", Match), worker);
        using var noConsent = await PostAsync(Client, Path, new
        {
            authData = new { authMethods = new[] { "bio" }, bio = new { aadhaar = sandbox.NextIdentity().Aadhaar, bioType = "FACE", pid = Match } },
        }, worker);

        await Problems.AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "AADHAAR_INVALID");
        await Problems.AssertProblemAsync(noConsent, HttpStatusCode.BadRequest, "CONSENT_REQUIRED");
    }
}
