using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.RateLimits;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

public class OtpTargetLimitTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const int Limit = 2;
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;

    public OtpTargetLimitTests() => rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100, ResendAfter = TimeSpan.Zero },
        RateLimitPolicies.FromSettings(name => name switch
        {
            "RateLimits__OtpRequestTarget__Limit" or "RateLimits__OtpVerificationTarget__Limit" => "2",
            _ when name.EndsWith("__Limit", StringComparison.Ordinal) => "1000000",
            _ => null,
        }));

    private async Task<AbhaNumber> EnrolAsync(string aadhaar)
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse(aadhaar), None);
        return (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None)).Account.AbhaNumber;
    }

    private static async Task<DomainException> RefusedAsync(Func<Task> act)
    {
        var error = await Assert.ThrowsAsync<DomainException>(act);
        Assert.Equal((ErrorKind.TooManyRequests, ErrorCodes.RateLimited), (error.Kind, error.Code));
        Assert.InRange(error.RetryAfterSeconds ?? 0, 1, 3600);
        return error;
    }

    [Fact]
    public async Task GivenAKnownAndAnUnknownAbhaNumber_WhenLoginOtpsAreRequestedPastTheTargetLimit_ThenBothAreRefusedAlike()
    {
        var known = await EnrolAsync("999900000016");
        const string unknown = "91-5408-0214-0264";
        for (var i = 0; i < Limit; i++)
        {
            await rig.Login.RequestOtpAsync("abha-number", known.Formatted, null, None);
            // Reformatting is the same target.
            await rig.Login.RequestOtpAsync("abha-number", i == 0 ? unknown : unknown.Replace("-", "", StringComparison.Ordinal), null, None);
        }

        var knownRefused = await RefusedAsync(() => rig.Login.RequestOtpAsync("abha-number", known.Formatted, null, None));
        var unknownRefused = await RefusedAsync(() => rig.Login.RequestOtpAsync("abha-number", unknown, null, None));

        Assert.Equal((knownRefused.Title, knownRefused.Detail), (unknownRefused.Title, unknownRefused.Detail));
        Assert.Equal(RateLimitPolicies.OtpRequestTarget, knownRefused.Extensions!["policy"]);
        var keys = rig.Limiter.Keys.Where(k => k.StartsWith(RateLimitPolicies.OtpRequestTarget + " ", StringComparison.Ordinal)).ToList();
        Assert.All(keys, k => Assert.Matches(@"^OtpRequestTarget (abha|mobile|aadhaar):[0-9a-f]{64}$", k));
    }

    [Fact]
    public async Task GivenOneAadhaarAndOneMobile_WhenEnrolmentOtpsAreRequestedPastTheLimit_ThenEachIsRefused()
    {
        var requests = new EnrolmentOtpRequests(rig.Kyc, rig.Otp);
        for (var i = 0; i < Limit; i++)
        {
            await requests.RequestAsync("aadhaar", "999900000016", null, None);
            await requests.RequestAsync("mobile", "9876500002", null, None);
        }

        await RefusedAsync(() => requests.RequestAsync("aadhaar", "9999 0000 0016", null, None));
        await RefusedAsync(() => requests.RequestAsync("mobile", "+91 98765 00002", null, None));
        await requests.RequestAsync("mobile", "9876500003", null, None);
    }

    [Fact]
    public async Task GivenTwoAccounts_WhenBothAskForAMobileChangeOtpToOneNewMobile_ThenTheLimitIsTheMobilesNotTheAccounts()
    {
        var first = await EnrolAsync("999900000016");
        var second = await EnrolAsync("999900000028");
        var target = MobileNumber.Parse("9876500004");

        await rig.Lifecycle.RequestMobileChangeOtpAsync(first, target, None);
        await rig.Lifecycle.RequestMobileChangeOtpAsync(second, target, None);

        await RefusedAsync(() => rig.Lifecycle.RequestMobileChangeOtpAsync(first, target, None));
    }

    [Fact]
    public async Task GivenCodesTriedAgainstOneTargetsTransactions_WhenPastTheLimit_ThenRefusedBeforeAnAttemptIsSpent()
    {
        var number = await EnrolAsync("999900000016");
        var first = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);

        await Assert.ThrowsAsync<DomainException>(() => rig.Login.VerifyOtpAsync(first.TxnId, "000000", None));
        await Assert.ThrowsAsync<DomainException>(() => rig.Login.VerifyOtpAsync(second.TxnId, "000000", None));
        // A fresh transaction of the same target does not buy new guesses; the right code waits for the window too.
        await RefusedAsync(() => rig.Login.VerifyOtpAsync(second.TxnId, rig.LastOtp, None));

        Assert.Equal(1, rig.Transactions.Documents.Find(second.TxnId)!.Value.Attempts);
    }
}
