using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Login;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.UnitTests.HealthId;

public class AbhaLoginServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private const string UnknownNumber = "91-5408-0214-0264";
    private const string UnknownMobile = "9876500001";
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;

    public AbhaLoginServiceTests() => rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100 });

    /// <summary>Asha Verma (Aadhaar-verified, mobile 9000000001) with the address asha.verma@sbx.</summary>
    private async Task<AbhaNumber> AshaAsync()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None);
        var number = (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None)).Account.AbhaNumber;
        await rig.Enrolment.CreateAbhaAddressAsync(number, "asha.verma", true, None);
        time.Advance(TimeSpan.FromMinutes(1));
        return number;
    }

    private OtpTransaction Stored(string txnId) => rig.Transactions.Documents.Find(txnId)!.Value;

    private static string Wrong(string code) => code == "000000" ? "111111" : "000000";

    [Theory]
    [InlineData("abha-number", UnknownNumber)]
    [InlineData("mobile", UnknownMobile)]
    public async Task GivenTheAuditTrailIsDown_WhenALoginOtpIsRequestedForAKnownAndAnUnknownIdentifier_ThenBothAnswerAlike_AndNothingIsSent(
        string hint, string unknownId)
    {
        var number = await AshaAsync();
        var knownId = hint == "abha-number" ? number.Formatted : "9000000001";
        var sentBefore = rig.Sender.Sent.Count;
        rig.Audit.Unavailable = true;

        var known = await rig.Login.RequestOtpAsync(hint, knownId, null, None);
        var unknown = await rig.Login.RequestOtpAsync(hint, unknownId, null, None);

        Assert.Equal(known.Message, unknown.Message);
        Assert.Equal(known.ExpiresAt, unknown.ExpiresAt);
        Assert.Equal(sentBefore, rig.Sender.Sent.Count);
        Assert.Equal(Stored(unknown.TxnId).OtpHash.Length, Stored(known.TxnId).OtpHash.Length);
        var refused = await Assert.ThrowsAsync<DomainException>(() => rig.Login.VerifyOtpAsync(known.TxnId, "123456", None));
        Assert.Equal(HealthIdErrors.OtpInvalid, refused.Code);
    }

    [Theory]
    [InlineData("abha-number", UnknownNumber)]
    [InlineData("abha-address", "nobody.here@sbx")]
    [InlineData("mobile", UnknownMobile)]
    public async Task GivenAKnownAndAnUnknownIdentifier_WhenALoginOtpIsRequested_ThenBothAnswerAlikeAndOnlyTheKnownOneIsSent(string hint,
        string unknownId)
    {
        var number = await AshaAsync();
        var knownId = hint switch { "abha-number" => number.Formatted, "abha-address" => "asha.verma@sbx", _ => "9000000001" };
        var sentBefore = rig.Sender.Sent.Count;

        var known = await rig.Login.RequestOtpAsync(hint, knownId, null, None);
        var unknown = await rig.Login.RequestOtpAsync(hint, unknownId, null, None);

        Assert.True(Guid.TryParseExact(known.TxnId, "D", out _));
        Assert.True(Guid.TryParseExact(unknown.TxnId, "D", out _));
        Assert.Equal(known.Message, unknown.Message);
        Assert.Equal(AbhaLoginService.OtpSentMessage, unknown.Message);
        Assert.DoesNotContain("0001", known.Message, StringComparison.Ordinal);
        Assert.Equal(known.ExpiresAt, unknown.ExpiresAt);
        Assert.Equal(sentBefore + 1, rig.Sender.Sent.Count);
        Assert.Equal(known.TxnId, rig.Sender.Sent[^1].TxnId);
        var (real, decoy) = (Stored(known.TxnId), Stored(unknown.TxnId));
        Assert.Equal((real.Purpose, real.Status, real.Attempts, real.Sends, real.Ttl, real.OtpHash.Length, real.TargetHash.Length),
            (decoy.Purpose, decoy.Status, decoy.Attempts, decoy.Sends, decoy.Ttl, decoy.OtpHash.Length, decoy.TargetHash.Length));
    }

    [Fact]
    public async Task GivenADecoyAndARealTransaction_WhenEachIsVerified_ThenTheDecoyFailsExactlyAsAWrongOtpDoes()
    {
        var number = await AshaAsync();
        var real = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);
        var code = rig.LastOtp;
        var decoy = await rig.Login.RequestOtpAsync("abha-number", UnknownNumber, null, None);

        var wrongOnReal = await Assert.ThrowsAsync<DomainException>(() => rig.Login.VerifyOtpAsync(real.TxnId, Wrong(code), None));
        // Even the code sent to the real account's mobile does not open the decoy.
        var onDecoy = await Assert.ThrowsAsync<DomainException>(() => rig.Login.VerifyOtpAsync(decoy.TxnId, code, None));

        Assert.Equal((wrongOnReal.Kind, wrongOnReal.Code, wrongOnReal.Title, wrongOnReal.Detail), (onDecoy.Kind, onDecoy.Code, onDecoy.Title, onDecoy.Detail));
        Assert.Equal(HealthIdErrors.OtpInvalid, onDecoy.Code);
        Assert.Equal(wrongOnReal.Extensions!["attemptsLeft"], onDecoy.Extensions!["attemptsLeft"]);
        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<DomainException>(() => rig.Login.VerifyOtpAsync(decoy.TxnId, Wrong(code), None));
        Assert.Equal(OtpTransactionStatus.Locked, Stored(decoy.TxnId).Status);
    }

    [Fact]
    public async Task GivenAnErasedAccount_WhenALoginOtpIsRequestedByItsNumber_ThenADecoyIsAnsweredAndNothingSent()
    {
        var number = await AshaAsync();
        var deletion = await rig.Lifecycle.RequestConfirmationOtpAsync(number, OtpPurpose.AccountDeletion, null, None);
        await rig.Lifecycle.EraseAsync(number, deletion.TxnId, rig.LastOtp, None);
        var sent = rig.Sender.Sent.Count;

        var issued = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);

        Assert.Equal(AbhaLoginService.OtpSentMessage, issued.Message);
        Assert.Equal(sent, rig.Sender.Sent.Count);
        Assert.Null(Stored(issued.TxnId).AbhaNumber);
    }

    [Fact]
    public async Task GivenAKnownAndAnUnknownIdentifier_WhenALoginOtpIsRequested_ThenOnlyTheKnownOneIsAuditedWithAnAnonymousActor()
    {
        var number = await AshaAsync();
        var before = rig.Audit.Events.Count;

        await rig.Login.RequestOtpAsync("abha-address", "asha.verma@sbx", null, None);
        await rig.Login.RequestOtpAsync("abha-address", "nobody.here@sbx", null, None);

        var recorded = Assert.Single(rig.Audit.Events.Skip(before));
        Assert.Equal(AbhaLoginService.OtpRequestAction, recorded.Action);
        Assert.Equal(HealthIdAudit.AnonymousActor, recorded.Actor.Subject);
        Assert.Equal(number.Digits, recorded.Resource.Id);
        Assert.DoesNotContain("asha.verma", recorded.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GivenAKnownMobileWhoseWindowIsFull_WhenALoginOtpIsRequested_ThenItAnswersADecoyInsteadOfOtpRateLimited()
    {
        var limited = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 2 });
        var sent = await limited.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None); // the mobile's first OTP
        var number = (await limited.Enrolment.EnrolByAadhaarAsync(sent.TxnId, limited.LastOtp, null, None)).Account.AbhaNumber;
        await limited.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);            // its second
        var count = limited.Sender.Sent.Count;

        var third = await limited.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);

        Assert.Equal(AbhaLoginService.OtpSentMessage, third.Message);
        Assert.Equal(count, limited.Sender.Sent.Count);
    }

    [Fact]
    public async Task GivenADecoyAndARealTransaction_WhenEachIsResent_ThenBothFollowTheResendRules()
    {
        var number = await AshaAsync();
        var real = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);
        var decoy = await rig.Login.RequestOtpAsync("abha-number", UnknownNumber, null, None);

        var realTooSoon = await Assert.ThrowsAsync<DomainException>(() => rig.Login.RequestOtpAsync("abha-number", number.Formatted, real.TxnId, None));
        var decoyTooSoon = await Assert.ThrowsAsync<DomainException>(() => rig.Login.RequestOtpAsync("abha-number", UnknownNumber, decoy.TxnId, None));
        time.Advance(TimeSpan.FromSeconds(61));
        var realResent = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, real.TxnId, None);
        var decoyResent = await rig.Login.RequestOtpAsync("abha-number", UnknownNumber, decoy.TxnId, None);
        var crossed = await Assert.ThrowsAsync<DomainException>(() => rig.Login.RequestOtpAsync("abha-number", number.Formatted, decoy.TxnId, None));

        Assert.Equal((realTooSoon.Code, realTooSoon.Detail, realTooSoon.RetryAfterSeconds), (decoyTooSoon.Code, decoyTooSoon.Detail, decoyTooSoon.RetryAfterSeconds));
        Assert.Equal((real.TxnId, decoy.TxnId), (realResent.TxnId, decoyResent.TxnId));
        Assert.Equal(2, Stored(decoy.TxnId).Sends);
        Assert.Equal(HealthIdErrors.TxnNotFound, crossed.Code);
    }

    [Fact]
    public async Task GivenAMalformedIdentifier_WhenALoginOtpIsRequested_ThenItIsRefusedForItsShapeAlone()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Login.RequestOtpAsync("abha-number", "91-5408-0214-0265", null, None));

        Assert.Equal(HealthIdErrors.AbhaChecksum, error.Code);
    }

    [Fact]
    public async Task GivenSlowRealSends_WhenADecoyIsAnswered_ThenItWaitsOutTheAverage()
    {
        var clock = new FakeTimeProvider(Clock.Start);
        var latency = new UniformLatency(clock);
        var slow = latency.Start();
        clock.Advance(TimeSpan.FromMilliseconds(80));
        latency.Observe(slow);

        var started = latency.Start();
        clock.Advance(TimeSpan.FromMilliseconds(30));
        var pad = latency.PadAsync(started, None);
        Assert.False(pad.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(49));
        Assert.False(pad.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await pad;

        Assert.Equal(TimeSpan.FromMilliseconds(80), latency.Average);
    }
}

public class PatientRefreshTokenTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;

    public PatientRefreshTokenTests() => rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100 });

    private async Task<(AbhaNumber Number, string Refresh)> LoggedInAsync()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None);
        var number = (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None)).Account.AbhaNumber;
        var otp = await rig.Login.RequestOtpAsync("abha-number", number.Formatted, null, None);
        var login = await rig.Login.VerifyOtpAsync(otp.TxnId, rig.LastOtp, None);
        return (number, login.Tokens!.RefreshToken);
    }

    private async Task<DomainException> RefusedAsync(string? token)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Login.RefreshAsync(token, None));
        Assert.Equal((ErrorKind.Unauthenticated, PatientSessions.RefreshTokenInvalid), (error.Kind, error.Code));
        return error;
    }

    [Fact]
    public async Task GivenALogin_WhenItsRefreshTokenIsUsed_ThenANewOneReplacesIt()
    {
        var (_, first) = await LoggedInAsync();

        var second = await rig.Login.RefreshAsync(first, None);
        var third = await rig.Login.RefreshAsync(second.RefreshToken, None);

        Assert.NotEqual(first, second.RefreshToken);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
        Assert.False(string.IsNullOrEmpty(third.AccessToken));
        Assert.DoesNotContain(rig.RefreshFamilies.All, f => f.CurrentHash.Contains(third.RefreshToken.Split('.')[1], StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenASpentRefreshToken_WhenUsedAgain_ThenTheWholeFamilyIsRevokedAndTheReuseAudited()
    {
        var (number, first) = await LoggedInAsync();
        var second = await rig.Login.RefreshAsync(first, None);

        var reuse = await RefusedAsync(first);
        var newer = await RefusedAsync(second.RefreshToken);

        Assert.Equal((reuse.Title, reuse.Detail), (newer.Title, newer.Detail));
        Assert.True(Assert.Single(rig.RefreshFamilies.All).Revoked);
        var recorded = Assert.Single(rig.Audit.Events, e => e.Action == AbhaLoginService.RefreshReuseAction);
        Assert.Equal(number.Digits, recorded.Resource.Id);
    }

    [Fact]
    public async Task GivenEveryKindOfBadRefreshToken_ThenEachGetsTheSameRefusal()
    {
        var (number, token) = await LoggedInAsync();
        var otherFamily = RefreshTokenValue.NewFamily().ToString();
        var wrongSecret = token.Split('.')[0] + "." + RefreshTokenValue.NewFamily().Secret;

        var refusals = new List<DomainException>
        {
            await RefusedAsync(null), await RefusedAsync("not-a-token"), await RefusedAsync(otherFamily), await RefusedAsync(wrongSecret),
        };
        time.Advance(PatientSessionLifetimes.Default.Refresh);
        refusals.Add(await RefusedAsync(token));

        Assert.Single(refusals.Select(e => (e.Title, e.Detail)).Distinct());
        Assert.False(Assert.Single(rig.RefreshFamilies.All).Revoked);
        Assert.Equal(number.Digits, rig.RefreshFamilies.All.Single().Owner);
    }
}
