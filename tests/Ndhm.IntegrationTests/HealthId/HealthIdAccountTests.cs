using System.Net;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

public sealed class HealthIdAccountTests(HealthIdHostFixture sandbox) : IClassFixture<HealthIdHostFixture>
{
    private HttpClient Client => sandbox.Client;

    private static string UniqueHandle() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task GivenAnAccount_WhenItCreatesAnAddressSomeoneHolds_ThenAbhaAddressTaken()
    {
        var a = await EnrolAsync(Client, sandbox.NextIdentity());
        var b = await EnrolAsync(Client, sandbox.NextIdentity());
        var handle = UniqueHandle();
        var suggestions = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/enrollment/enrol/suggestion", Token(a)));

        var created = await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle, preferred = true }, Token(a)));
        using var taken = await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(b));

        Assert.NotEmpty(suggestions.GetProperty("abhaAddressList").EnumerateArray());
        Assert.Equal(handle + "@sbx", created.GetProperty("preferredAbhaAddress").GetString());
        await Problems.AssertProblemAsync(taken, HttpStatusCode.Conflict, "ABHA_ADDRESS_TAKEN");
    }

    [Fact]
    public async Task GivenTwoAccounts_WhenBothClaimOneAddressAtOnce_ThenExactlyOneWins()
    {
        var a = await EnrolAsync(Client, sandbox.NextIdentity());
        var b = await EnrolAsync(Client, sandbox.NextIdentity());
        var handle = UniqueHandle();

        var responses = await Task.WhenAll(
            PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(a)),
            PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(b)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        await Problems.AssertProblemAsync(responses.Single(r => r.StatusCode != HttpStatusCode.OK), HttpStatusCode.Conflict, "ABHA_ADDRESS_TAKEN");
    }

    [Fact]
    public async Task GivenAnAccountWithAnAddress_WhenLoggingInByNumberAddressAndMobile_ThenPatientTokensAreIssued_AndRefreshWorks()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var handle = UniqueHandle();
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(enrolled)));

        foreach (var (hint, id) in new[] { ("abha-number", Number(enrolled)), ("abha-address", handle + "@sbx"), ("mobile", identity.Mobile) })
        {
            var txnId = await RequestOtpAsync(Client, "v3/profile/login/request/otp", hint, id);
            var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
            var login = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(txnId, otp) }));
            var token = login.GetProperty("tokens").GetProperty("token").GetString()!;
            var profile = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", token));
            Assert.Equal(Number(enrolled), profile.GetProperty("ABHANumber").GetString());

            var refreshed = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/refresh",
                new { refreshToken = login.GetProperty("tokens").GetProperty("refreshToken").GetString() }));
            await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", refreshed.GetProperty("token").GetString()!));
        }
    }

    [Fact]
    public async Task GivenAMobileSharedByTwoAbhas_WhenLoggingInByMobile_ThenThePersonPicksOneWithTheUserToken()
    {
        var mobile = HealthIdHostFixture.NewMobileOnly().Mobile;
        var numbers = new List<string>();
        foreach (var name in new[] { "Asha", "Meera" })
        {
            var enrolTxn = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "mobile", mobile);
            var enrolOtp = await ReadOtpAsync(Client, mobile, enrolTxn);
            numbers.Add(Number(await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/byMobile", new
            {
                authData = OtpAuth(enrolTxn, enrolOtp, mobile), consent = Consent, firstName = name, lastName = "Family",
                gender = "F", yearOfBirth = 2001,
            }))));
        }

        var txnId = await RequestOtpAsync(Client, "v3/profile/login/request/otp", "mobile", mobile);
        var otp = await ReadOtpAsync(Client, mobile, txnId);
        var verified = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(txnId, otp) }));
        var listed = verified.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("ABHANumber").GetString()).ToList();
        var picked = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify/user",
            new { userToken = verified.GetProperty("userToken").GetString(), abhaNumber = numbers[1] }));

        Assert.False(verified.TryGetProperty("tokens", out _));
        Assert.Equal(numbers.Order(), listed.Order());
        Assert.Equal(numbers[1], picked.GetProperty("ABHAProfile").GetProperty("ABHANumber").GetString());
    }

    [Fact]
    public async Task GivenAnAccessToken_WhenUsedAsARefreshToken_ThenRefused()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());

        using var response = await PostAsync(Client, "v3/profile/login/refresh", new { refreshToken = Token(enrolled) });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "REFRESH_TOKEN_INVALID");
    }

    [Fact]
    public async Task GivenAnAadhaarVerifiedAccount_WhenUpdatingEmailAndName_ThenEmailChangesAndNameIsLocked()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());

        var updated = await OkJsonAsync(await SendAsync(Client, HttpMethod.Patch, "v3/profile/account", Token(enrolled), new { email = "Asha@Example.org" }));
        using var locked = await SendAsync(Client, HttpMethod.Patch, "v3/profile/account", Token(enrolled), new { firstName = "Other" });

        Assert.Equal("Asha@example.org", updated.GetProperty("email").GetString());
        await Problems.AssertProblemAsync(locked, HttpStatusCode.Forbidden, "PROFILE_FIELD_LOCKED");
    }

    [Fact]
    public async Task GivenAnOtpToTheNewMobile_WhenVerified_ThenTheMobileChanges()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var newMobile = HealthIdHostFixture.NewMobileOnly().Mobile;
        var request = await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/profile/account/mobile/request/otp", Token(enrolled), new { mobile = newMobile }));
        var txnId = request.GetProperty("txnId").GetString()!;
        var otp = await ReadOtpAsync(Client, newMobile, txnId);

        var profile = await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/profile/account/mobile/verify", Token(enrolled),
            new { authData = OtpAuth(txnId, otp, newMobile) }));

        Assert.Equal(newMobile, profile.GetProperty("mobile").GetString());
    }

    [Fact]
    public async Task GivenAPartner_WhenVerifyingByNumberAndAddress_ThenMinimalDemographicsAreReturned_AndEachLookupIsAudited()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var handle = UniqueHandle();
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(enrolled)));
        var hip = await sandbox.ClientTokenAsync(Roles.Hip);

        var byNumber = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{Number(enrolled)}", hip));
        var byAddress = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{handle}@sbx", hip));

        Assert.Equal(Number(enrolled), byNumber.GetProperty("ABHANumber").GetString());
        Assert.Equal(Number(enrolled), byAddress.GetProperty("ABHANumber").GetString());
        Assert.Equal(1992, byNumber.GetProperty("yearOfBirth").GetInt32());
        Assert.False(byNumber.TryGetProperty("mobile", out _));
        var audits = await HealthIdCosmos.CountAuditAsync(Number(enrolled).Replace("-", ""));
        Assert.Equal(2, audits);
    }

    [Fact]
    public async Task GivenAPartner_WhenVerifyingAnUnknownOrMalformedNumber_ThenNotFoundOrChecksum()
    {
        var hip = await sandbox.ClientTokenAsync(Roles.Hip);

        using var unknown = await SendAsync(Client, HttpMethod.Get, "v3/verification/abha/zzunknownaddr1@sbx", hip);
        using var checksum = await SendAsync(Client, HttpMethod.Get, "v3/verification/abha/91-6285-4575-5117", hip);

        await Problems.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
        await Problems.AssertProblemAsync(checksum, HttpStatusCode.BadRequest, "ABHA_CHECKSUM");
    }

    [Fact]
    public async Task GivenAnAccount_WhenDeactivatedReactivatedAndDeleted_ThenVerificationFollowsItsState()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var hip = await sandbox.ClientTokenAsync(Roles.Hip);
        var path = $"v3/verification/abha/{Number(enrolled)}";

        await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/profile/account/deactivate", Token(enrolled)));
        var deactivated = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, path, hip));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/profile/account/reactivate", Token(enrolled)));
        var active = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, path, hip));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Delete, "v3/profile/account", Token(enrolled)));
        using var deleted = await SendAsync(Client, HttpMethod.Get, path, hip);

        Assert.Equal("DEACTIVATED", deactivated.GetProperty("abhaStatus").GetString());
        Assert.False(deactivated.TryGetProperty("name", out _));
        Assert.Equal("ACTIVE", active.GetProperty("abhaStatus").GetString());
        await Problems.AssertProblemAsync(deleted, HttpStatusCode.Gone, "ACCOUNT_DELETED");
    }
}

internal static class HealthIdFixtureExtensions
{
    public static Task<string> ClientTokenAsync(this HealthIdHostFixture sandbox, params string[] roles) =>
        SandboxHostFixture.TokenForAsync(sandbox.Client, "partner-" + Guid.NewGuid().ToString("N")[..8], roles);
}
