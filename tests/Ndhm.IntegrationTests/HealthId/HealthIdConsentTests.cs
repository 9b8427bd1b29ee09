using System.Net;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>The consent text shown before enrolment, and the version and language recorded with the account.</summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdConsentTests(SharedHealthIdHostFixture sandbox)
{
    private HttpClient Client => sandbox.Client;

    [Theory]
    [InlineData("en", "Consent for creating")]
    [InlineData("hi", "सहमति")]
    [Trait("M1", "CRT_ABHA_102")]
    [Trait("M1", "CRT_ABHA_103")]
    public async Task GivenALanguage_WhenTheConsentTextIsFetched_ThenItIsInThatLanguageWithItsVersion(string language, string titlePart)
    {
        var json = await OkJsonAsync(await Client.GetAsync($"api/v3/enrollment/consent?language={language}"));

        Assert.Equal("abha-enrollment", json.GetProperty("code").GetString());
        Assert.Equal("1.4", json.GetProperty("version").GetString());
        Assert.Equal(language, json.GetProperty("language").GetString());
        Assert.Contains(titlePart, json.GetProperty("title").GetString());
        Assert.True(json.GetProperty("text").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task GivenAnUnknownLanguage_WhenTheConsentTextIsFetched_ThenConsentLanguageUnknown()
    {
        using var response = await Client.GetAsync("api/v3/enrollment/consent?language=xx");

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "CONSENT_LANGUAGE_UNKNOWN");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_102")]
    [Trait("M1", "CRT_ABHA_103")]
    public async Task GivenTheHindiConsent_WhenEnrolledByAadhaar_ThenTheProfileRecordsVersionAndLanguage()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);

        var json = await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/byAadhaar", new
        {
            authData = OtpAuth(txnId, otp),
            consent = new { code = "abha-enrollment", version = "1.4", language = "hi" },
        }));

        var consent = json.GetProperty("ABHAProfile").GetProperty("consent");
        Assert.Equal("1.4", consent.GetProperty("version").GetString());
        Assert.Equal("hi", consent.GetProperty("language").GetString());
        var profile = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", Token(json)));
        Assert.Equal("hi", profile.GetProperty("consent").GetProperty("language").GetString());
        var stored = await HealthIdCosmos.ReadAccountAsync(Number(json));
        Assert.Equal("hi", stored.GetProperty("consent").GetProperty("language").GetString());
    }

    [Theory]
    [InlineData("0.1", "en", "CONSENT_VERSION_UNKNOWN")]
    [InlineData("1.4", "ta", "CONSENT_LANGUAGE_UNKNOWN")]
    public async Task GivenAnUnknownConsent_WhenEnrolling_ThenRefused_AndTheOtpIsNotSpent(string version, string language, string code)
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);

        using var refused = await PostAsync(Client, "v3/enrollment/enrol/byAadhaar", new
        {
            authData = OtpAuth(txnId, otp),
            consent = new { code = "abha-enrollment", version, language },
        });

        await Problems.AssertProblemAsync(refused, HttpStatusCode.BadRequest, code);
        await OkJsonAsync(await EnrolByAadhaarAsync(Client, txnId, otp));
    }
}
