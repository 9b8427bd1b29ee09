using System.Net;
using System.Text;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdEnrolmentTests(SharedHealthIdHostFixture sandbox)
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    [Trait("M1", "CRT_ABHA_101")]
    [Trait("M1", "CRT_ABHA_105")]
    [Trait("M1", "CRT_ABHA_107")]
    public async Task GivenAadhaarOtp_WhenEnrolled_ThenVerifiedProfileAndPatientTokenAreReturned_AndReEnrolmentReturnsTheSameAbha()
    {
        var identity = sandbox.NextIdentity();

        var first = await EnrolAsync(Client, identity);
        var again = await EnrolAsync(Client, identity);

        Assert.True(first.GetProperty("isNew").GetBoolean());
        Assert.True(first.GetProperty("ABHAProfile").GetProperty("kycVerified").GetBoolean());
        Assert.Equal(identity.LastName, first.GetProperty("ABHAProfile").GetProperty("lastName").GetString());
        Assert.False(again.GetProperty("isNew").GetBoolean());
        Assert.Equal(Number(first), Number(again));
        var profile = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", Token(first)));
        Assert.Equal(Number(first), profile.GetProperty("ABHANumber").GetString());
    }

    [Fact]
    public async Task GivenAVerifiedTransaction_WhenVerifiedAgain_ThenOtpAlreadyUsed()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
        await OkJsonAsync(await EnrolByAadhaarAsync(Client, txnId, otp));

        using var replay = await EnrolByAadhaarAsync(Client, txnId, otp);

        await Problems.AssertProblemAsync(replay, HttpStatusCode.Conflict, "OTP_ALREADY_USED");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_107")]
    public async Task GivenAWrongOtp_WhenEnrolling_ThenOtpInvalidWithAttemptsLeft()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);

        using var response = await EnrolByAadhaarAsync(Client, txnId, WrongOtp(otp));

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "OTP_INVALID");
        Assert.Equal(2, problem.GetProperty("attemptsLeft").GetInt32());
    }

    [Fact]
    public async Task GivenAnUnknownTxnId_WhenEnrolling_ThenTxnNotFound()
    {
        using var response = await EnrolByAadhaarAsync(Client, Guid.NewGuid().ToString(), "123456");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "TXN_NOT_FOUND");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_106")]
    public async Task GivenAnAadhaarOtp_WhenResentWithinAMinute_ThenTooManyRequestsWithRetryAfter()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);

        using var response = await PostAsync(Client, "v3/enrollment/request/otp",
            new { scope = new[] { "abha-enrol" }, loginHint = "aadhaar", loginId = identity.Aadhaar, otpSystem = "aadhaar", txnId });

        await Problems.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "OTP_RESEND_TOO_SOON");
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task GivenAnAadhaarOtp_WhenResentForAnotherAadhaar_ThenTxnNotFound()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);

        using var response = await PostAsync(Client, "v3/enrollment/request/otp",
            new { loginHint = "aadhaar", loginId = sandbox.NextIdentity().Aadhaar, txnId });

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "TXN_NOT_FOUND");
    }

    [Fact]
    public async Task GivenAMalformedMobile_WhenRequestingAnOtp_ThenMobileInvalid()
    {
        using var response = await PostAsync(Client, "v3/enrollment/request/otp", new { loginHint = "mobile", loginId = "12345" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "MOBILE_INVALID");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_104")]
    public async Task GivenAnAadhaarWithABadCheckDigit_WhenRequestingAnOtp_ThenAadhaarInvalid()
    {
        using var response = await PostAsync(Client, "v3/enrollment/request/otp", new { loginHint = "aadhaar", loginId = "999900000017" });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "AADHAAR_INVALID");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_102")]
    public async Task GivenNoConsent_WhenEnrolling_ThenConsentRequired()
    {
        using var response = await PostAsync(Client, "v3/enrollment/enrol/byAadhaar",
            new { authData = OtpAuth(Guid.NewGuid().ToString(), "123456") });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "CONSENT_REQUIRED");
    }

    [Fact]
    public async Task GivenTextPlain_WhenRequestingAnOtp_ThenUnsupportedMediaType()
    {
        using var response = await Client.PostAsync("api/v3/enrollment/request/otp",
            new StringContent("{\"loginHint\":\"mobile\"}", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task GivenAnOversizeBody_WhenRequestingAnOtp_ThenPayloadTooLarge()
    {
        var huge = "{\"loginHint\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        using var response = await Client.PostAsync("api/v3/enrollment/request/otp",
            new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task GivenParallelEnrolmentsOfOneIdentity_ThenExactlyOneAbhaExists()
    {
        var identity = sandbox.NextIdentity();
        var txns = new List<(string TxnId, string Otp)>();
        for (var i = 0; i < 3; i++)
        {
            var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
            txns.Add((txnId, await ReadOtpAsync(Client, identity.Mobile, txnId)));
        }

        var responses = await Task.WhenAll(txns.Select(t => EnrolByAadhaarAsync(Client, t.TxnId, t.Otp)));

        var numbers = new HashSet<string>();
        var created = 0;
        foreach (var response in responses)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                // The only acceptable loser: "enrolment in progress, retry" (409), never a second number.
                await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "CONCURRENT_UPDATE");
                continue;
            }

            var json = await OkJsonAsync(response);
            numbers.Add(Number(json));
            if (json.GetProperty("isNew").GetBoolean()) created++;
        }

        Assert.Single(numbers);
        Assert.Equal(1, created);
    }

    [Fact]
    public async Task GivenMobileOtpAndDemographics_WhenEnrolled_ThenAnUnverifiedAbhaIsCreated_AndTheOtpCannotBeReused()
    {
        var person = HealthIdHostFixture.NewMobileOnly();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "mobile", person.Mobile);
        var otp = await ReadOtpAsync(Client, person.Mobile, txnId);
        var body = new
        {
            authData = OtpAuth(txnId, otp, person.Mobile), consent = HealthIdApi.Consent, firstName = "Meera", lastName = person.LastName,
            gender = "F", yearOfBirth = 1994, pinCode = "560034",
        };

        var json = await OkJsonAsync(await PostAsync(Client, "v3/enrollment/enrol/byMobile", body));
        using var replay = await PostAsync(Client, "v3/enrollment/enrol/byMobile", body);

        Assert.False(json.GetProperty("ABHAProfile").GetProperty("kycVerified").GetBoolean());
        Assert.Equal(person.Mobile, json.GetProperty("ABHAProfile").GetProperty("mobile").GetString());
        await Problems.AssertProblemAsync(replay, HttpStatusCode.Conflict, "OTP_ALREADY_USED");
    }

    [Fact]
    [Trait("M1", "CRT_ABHA_101")]
    public async Task GivenAHealthWorker_WhenAssistingAnAadhaarEnrolment_ThenTheAccountIsCreated()
    {
        var identity = sandbox.NextIdentity();
        var worker = await SandboxHostFixture.TokenForAsync(Client, "worker-" + Guid.NewGuid().ToString("N")[..6], Roles.HealthWorker);
        var txnId = await OkJsonAsync(await PostAsync(Client, "v3/assisted/enrollment/request/otp",
            new { loginHint = "aadhaar", loginId = identity.Aadhaar }, worker));
        var id = txnId.GetProperty("txnId").GetString()!;
        var otp = await ReadOtpAsync(Client, identity.Mobile, id);

        var json = await OkJsonAsync(await EnrolByAadhaarAsync(Client, id, otp, "v3/assisted/enrollment/enrol/byAadhaar", worker));

        Assert.True(json.GetProperty("isNew").GetBoolean());
        var account = await HealthIdCosmos.ReadAccountAsync(Number(json));
        Assert.StartsWith("worker-", account.GetProperty("assistedBy").GetProperty("workerId").GetString());
    }
}

public sealed class HealthIdOtpExpiryTests(ShortOtpHostFixture sandbox) : IClassFixture<ShortOtpHostFixture>
{
    [Fact]
    [Trait("M1", "CRT_ABHA_107")]
    public async Task GivenAnOtpOlderThanItsValidity_WhenEnrolling_ThenOtpExpired()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(sandbox.Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await ReadOtpAsync(sandbox.Client, identity.Mobile, txnId);
        await Task.Delay(TimeSpan.FromSeconds(3));

        using var response = await EnrolByAadhaarAsync(sandbox.Client, txnId, otp);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Gone, "OTP_EXPIRED");
    }
}

public sealed class HealthIdOtpResendTests(ResendOtpHostFixture sandbox) : IClassFixture<ResendOtpHostFixture>
{
    private HttpClient Client => sandbox.Client;

    private static Task WaitForResendAsync() => Task.Delay(TimeSpan.FromSeconds(ResendOtpHostFixture.ResendAfterSeconds + 0.5));

    private Task<HttpResponseMessage> ResendAsync(TestIdentity identity, string txnId) =>
        PostAsync(Client, "v3/enrollment/request/otp", new { loginHint = "aadhaar", loginId = identity.Aadhaar, txnId });

    [Fact]
    [Trait("M1", "CRT_ABHA_106")]
    public async Task GivenAnAadhaarOtp_WhenResentAfterTheWait_ThenTheSameTxnGetsANewCodeThatEnrols()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        await WaitForResendAsync();

        var resent = await OkJsonAsync(await ResendAsync(identity, txnId));
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
        var enrolled = await OkJsonAsync(await EnrolByAadhaarAsync(Client, txnId, otp));

        Assert.Equal(txnId, resent.GetProperty("txnId").GetString());
        Assert.EndsWith(identity.Mobile[^4..], resent.GetProperty("message").GetString());
        Assert.True(enrolled.GetProperty("isNew").GetBoolean());
        var sends = (await OkJsonAsync(await Client.GetAsync($"api/sandbox/otp-outbox?mobile={identity.Mobile}")))
            .GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("txnId").GetString() == txnId);
        Assert.Equal(2, sends);
    }

    [Fact]
    public async Task GivenAMobileAtItsHourlyLimit_WhenAnAadhaarOtpIsResent_ThenTooManyRequestsWithRetryAfter()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        for (var i = 1; i < ResendOtpHostFixture.MaxRequestsPerMobile; i++)
        {
            await WaitForResendAsync();
            await OkJsonAsync(await ResendAsync(identity, txnId));
        }

        await WaitForResendAsync();
        using var response = await ResendAsync(identity, txnId);

        await Problems.AssertProblemAsync(response, HttpStatusCode.TooManyRequests, "OTP_RATE_LIMITED");
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 3000, 3600);
    }
}
