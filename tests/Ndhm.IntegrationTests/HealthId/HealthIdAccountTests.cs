using System.Net;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdAccountTests(SharedHealthIdHostFixture sandbox)
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
        // Enrolment and the address it got are on its owner's audit chain; the refused claim is on nobody's.
        var (aDigits, bDigits) = (Number(a).Replace("-", "", StringComparison.Ordinal), Number(b).Replace("-", "", StringComparison.Ordinal));
        Assert.Equal((1, 1), (await HealthIdCosmos.CountAuditAsync(aDigits, "abha.enrol"), await HealthIdCosmos.CountAuditAsync(aDigits, "address.create")));
        Assert.Equal((1, 0), (await HealthIdCosmos.CountAuditAsync(bDigits, "abha.enrol"), await HealthIdCosmos.CountAuditAsync(bDigits, "address.create")));
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
    [Trait("M1", "VRFY_ABHA_401")]
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
                authData = OtpAuth(enrolTxn, enrolOtp, mobile), consent = HealthIdApi.Consent, firstName = name, lastName = "Family",
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
    public async Task GivenARefreshTokenUsedOnce_WhenUsedAgain_ThenItAndTheNewerTokenOfItsLoginAreRefused()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var first = enrolled.GetProperty("tokens").GetProperty("refreshToken").GetString()!;

        var rotated = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/refresh", new { refreshToken = first }));
        var newer = rotated.GetProperty("refreshToken").GetString()!;
        using var reuse = await PostAsync(Client, "v3/profile/login/refresh", new { refreshToken = first });
        using var afterReuse = await PostAsync(Client, "v3/profile/login/refresh", new { refreshToken = newer });
        using var unknown = await PostAsync(Client, "v3/profile/login/refresh", new { refreshToken = first.Split('.')[0] + "x." + first.Split('.')[1] });

        Assert.NotEqual(first, newer);
        var problems = new[]
        {
            await Problems.AssertProblemAsync(reuse, HttpStatusCode.Unauthorized, "REFRESH_TOKEN_INVALID"),
            await Problems.AssertProblemAsync(afterReuse, HttpStatusCode.Unauthorized, "REFRESH_TOKEN_INVALID"),
            await Problems.AssertProblemAsync(unknown, HttpStatusCode.Unauthorized, "REFRESH_TOKEN_INVALID"),
        };
        // One refusal for every kind of refused token: nothing says which tokens were once good.
        Assert.Single(problems.Select(p => (p.GetProperty("title").GetString(), p.GetProperty("detail").GetString())).Distinct());
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(Number(enrolled).Replace("-", "", StringComparison.Ordinal), "login.refresh.reuse"));
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
    [Trait("M1", "PROF_ABHA_601")]
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
        var audits = await HealthIdCosmos.CountAuditAsync(Number(enrolled).Replace("-", ""), "abha.verify");
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
    [Trait("M1", "PROF_ABHA_605")]
    public async Task GivenAnAccount_WhenDeactivatedReactivatedAndDeletedWithOtps_ThenVerificationByNumberAndAddressFollowsItsState()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var handle = UniqueHandle();
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, Token(enrolled)));
        var hip = await sandbox.ClientTokenAsync(Roles.Hip);
        var paths = new[] { $"v3/verification/abha/{Number(enrolled)}", $"v3/verification/abha/{handle}@sbx" };

        var deactivation = await ConfirmedAsync(Client, Token(enrolled), identity.Mobile, "de-activate");
        var deactivated = await Task.WhenAll(paths.Select(async p => await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, p, hip))));
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/profile/account/reactivate", Token(enrolled)));
        var active = await Task.WhenAll(paths.Select(async p => await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, p, hip))));
        var deletion = await ConfirmedAsync(Client, Token(enrolled), identity.Mobile, "delete");
        var deleted = await Task.WhenAll(paths.Select(p => SendAsync(Client, HttpMethod.Get, p, hip)));

        Assert.Equal("DEACTIVATED", deactivation.GetProperty("abhaStatus").GetString());
        Assert.All(deactivated, d => Assert.Equal("DEACTIVATED", d.GetProperty("abhaStatus").GetString()));
        Assert.All(deactivated, d => Assert.False(d.TryGetProperty("name", out _)));
        Assert.All(active, a => Assert.Equal("ACTIVE", a.GetProperty("abhaStatus").GetString()));
        Assert.All(active, a => Assert.Equal(identity.LastName, a.GetProperty("name").GetString()!.Split(' ')[^1]));
        Assert.Equal("DELETED", deletion.GetProperty("abhaStatus").GetString());
        foreach (var response in deleted)
            await Problems.AssertProblemAsync(response, HttpStatusCode.Gone, "ACCOUNT_DELETED");
    }

    [Fact]
    public async Task GivenANewPreferredAddress_ThenVerificationByEitherAddressNamesIt()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var (first, second) = (UniqueHandle(), UniqueHandle());
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = first }, Token(enrolled)));
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = second }, Token(enrolled)));
        var hip = await sandbox.ClientTokenAsync(Roles.Hip);

        await OkJsonAsync(await PostAsync(Client, "v3/profile/account/abha-address/preferred", new { abhaAddress = second }, Token(enrolled)));

        foreach (var handle in new[] { first, second })
        {
            var verified = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{handle}@sbx", hip));
            Assert.Equal(second + "@sbx", verified.GetProperty("preferredAbhaAddress").GetString());
        }
    }

    [Fact]
    [Trait("M1", "PROF_ABHA_603")]
    public async Task GivenAnEmail_WhenVerifiedWithTheOtpSentToIt_ThenTheProfileShowsItVerified_StoredEncryptedWithAKeyedHash_AndAudited()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var email = $"asha.{Guid.NewGuid():N}@Example.org";
        var requested = await OkJsonAsync(await PostAsync(Client, "v3/profile/account/email/request/otp", new { email }, Token(enrolled)));
        var txnId = requested.GetProperty("txnId").GetString()!;
        var outbox = await OkJsonAsync(await Client.GetAsync("api/sandbox/email-outbox?email=" + Uri.EscapeDataString(email)));
        var otp = outbox.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("txnId").GetString() == txnId)
            .GetProperty("otp").GetString()!;

        using var otherEmail = await PostAsync(Client, "v3/profile/account/email/verify",
            new { email = "someone.else@example.org", authData = new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp } } }, Token(enrolled));
        using var invalid = await PostAsync(Client, "v3/profile/account/email/request/otp", new { email = "not-an-email" }, Token(enrolled));
        var verified = await OkJsonAsync(await PostAsync(Client, "v3/profile/account/email/verify",
            new { email, authData = new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp } } }, Token(enrolled)));

        await Problems.AssertProblemAsync(otherEmail, HttpStatusCode.NotFound, "TXN_NOT_FOUND");
        await Problems.AssertProblemAsync(invalid, HttpStatusCode.BadRequest, "EMAIL_INVALID");
        Assert.DoesNotContain(email.Split('@')[0][1..], requested.GetProperty("message").GetString());
        Assert.Equal(email.ToLowerInvariant(), verified.GetProperty("email").GetString()!.ToLowerInvariant());
        Assert.True(verified.GetProperty("emailVerified").GetBoolean());
        var stored = await HealthIdCosmos.ReadAccountAsync(Number(enrolled));
        Assert.StartsWith("enc:v1:", stored.GetProperty("email").GetString());
        Assert.Matches("^[0-9a-f]{64}$", stored.GetProperty("emailHash").GetString());
        Assert.DoesNotContain(email.Split('@')[0], stored.GetRawText());
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(Number(enrolled).Replace("-", "", StringComparison.Ordinal), "email.verify"));
    }

    [Fact]
    public async Task GivenAQrTokenAPreferredAddressChangeAndAReactivation_ThenEachIsOnThePatientsAuditTrail()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var digits = Number(enrolled).Replace("-", "", StringComparison.Ordinal);
        var (first, second) = (UniqueHandle(), UniqueHandle());
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = first }, Token(enrolled)));
        await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = second }, Token(enrolled)));

        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account/qr-token", Token(enrolled)));
        await OkJsonAsync(await PostAsync(Client, "v3/profile/account/abha-address/preferred", new { abhaAddress = second }, Token(enrolled)));
        await ConfirmedAsync(Client, Token(enrolled), identity.Mobile, "de-activate");
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Post, "v3/profile/account/reactivate", Token(enrolled)));

        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(digits, "card.qr-token"));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(digits, "address.preferred"));
        Assert.Equal(1, await HealthIdCosmos.CountAuditAsync(digits, "abha.reactivate"));
    }

    [Theory]
    [InlineData("de-activate")]
    [InlineData("delete")]
    public async Task GivenNoAuthData_WhenDeactivatingOrDeleting_ThenInvalidRequest_AndTheAccountStaysActive(string action)
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());

        using var noBody = await ConfirmedRequestAsync(Client, Token(enrolled), action, body: null);
        using var noAuthData = await ConfirmedRequestAsync(Client, Token(enrolled), action, new { });

        await Problems.AssertProblemAsync(noBody, HttpStatusCode.BadRequest, "INVALID_REQUEST");
        await Problems.AssertProblemAsync(noAuthData, HttpStatusCode.BadRequest, "INVALID_REQUEST");
        var profile = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", Token(enrolled)));
        Assert.Equal("ACTIVE", profile.GetProperty("abhaStatus").GetString());
    }

    [Fact]
    public async Task GivenAWrongOtp_WhenDeleting_ThenOtpInvalidWithAttemptsLeft_AndTheAccountRemains()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var (txnId, otp) = await ConfirmationOtpAsync(Client, Token(enrolled), identity.Mobile, "delete");

        using var response = await ConfirmedRequestAsync(Client, Token(enrolled), "delete", new { authData = OtpAuth(txnId, WrongOtp(otp)) });

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "OTP_INVALID");
        Assert.Equal(2, problem.GetProperty("attemptsLeft").GetInt32());
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", Token(enrolled)));
    }

    [Fact]
    public async Task GivenATxnOfAnotherPurposeOrAccount_WhenDeactivating_ThenTxnNotFound()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var otherIdentity = sandbox.NextIdentity();
        var other = await EnrolAsync(Client, otherIdentity);
        var deletion = await ConfirmationOtpAsync(Client, Token(enrolled), identity.Mobile, "delete");
        var othersDeactivation = await ConfirmationOtpAsync(Client, Token(other), otherIdentity.Mobile, "de-activate");

        using var otherPurpose = await ConfirmedRequestAsync(Client, Token(enrolled), "de-activate",
            new { authData = OtpAuth(deletion.TxnId, deletion.Otp) });
        using var otherAccount = await ConfirmedRequestAsync(Client, Token(enrolled), "de-activate",
            new { authData = OtpAuth(othersDeactivation.TxnId, othersDeactivation.Otp) });

        await Problems.AssertProblemAsync(otherPurpose, HttpStatusCode.NotFound, "TXN_NOT_FOUND");
        await Problems.AssertProblemAsync(otherAccount, HttpStatusCode.NotFound, "TXN_NOT_FOUND");
        // The other account's transaction was not touched: its holder can still use it.
        await OkJsonAsync(await ConfirmedRequestAsync(Client, Token(other), "de-activate",
            new { authData = OtpAuth(othersDeactivation.TxnId, othersDeactivation.Otp) }));
    }

    [Fact]
    public async Task GivenAConfirmedDeactivation_WhenItsOtpIsReplayed_ThenOtpAlreadyUsed()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var (txnId, otp) = await ConfirmationOtpAsync(Client, Token(enrolled), identity.Mobile, "de-activate");
        var body = new { authData = OtpAuth(txnId, otp) };

        var deactivated = await OkJsonAsync(await ConfirmedRequestAsync(Client, Token(enrolled), "de-activate", body));
        using var replay = await ConfirmedRequestAsync(Client, Token(enrolled), "de-activate", body);

        Assert.Equal("DEACTIVATED", deactivated.GetProperty("abhaStatus").GetString());
        await Problems.AssertProblemAsync(replay, HttpStatusCode.Conflict, "OTP_ALREADY_USED");
    }

    [Theory]
    [InlineData("delete")]
    [InlineData("abha-profile")]
    [InlineData("abha-profile,delete,de-activate")]
    [InlineData("abha-enrol,mobile-verify")]
    public async Task GivenAScopeThatNamesNoSingleAction_WhenRequestingTheConfirmationOtp_ThenInvalidRequest(string scopes)
    {
        var scope = scopes.Split(',');
        // The scope is checked before the account is read, so any patient token shows it.
        var patient = await SandboxHostFixture.TokenForAsync(Client, "91628545755116", Roles.Patient);

        using var response = await SendAsync(Client, HttpMethod.Post, "v3/profile/account/request/otp", patient, new { scope });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_REQUEST");
    }
}

internal static class HealthIdFixtureExtensions
{
    public static Task<string> ClientTokenAsync(this HealthIdHostFixture sandbox, params string[] roles) =>
        SandboxHostFixture.TokenForAsync(sandbox.Client, "partner-" + Guid.NewGuid().ToString("N")[..8], roles);
}
