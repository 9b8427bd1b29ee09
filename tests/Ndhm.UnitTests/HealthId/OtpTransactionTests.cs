using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

public class OtpTransactionTests
{
    private const string TxnId = "b7ffebe2-8be8-433a-b447-62eecc45e397";
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HmacOtpHasher hasher = new(new FixedKeySource());

    private string Hash(string otp, string txnId = TxnId) => hasher.HashAsync(txnId, otp, CancellationToken.None).AsTask().Result;

    private OtpTransaction Issue(string otp = "123456") =>
        OtpTransaction.Issue(TxnId, OtpPurpose.MobileEnrolment, "mobile-hash", Hash(otp), time);

    [Fact]
    public void GivenAFreshTransaction_WhenTheRightOtpIsSubmitted_ThenItIsVerifiedOnce()
    {
        var txn = Issue();

        var result = txn.Verify(Hash("123456"), time);

        Assert.True(result.Succeeded);
        Assert.True(result.StateChanged);
        Assert.Equal(OtpTransactionStatus.Verified, txn.Status);
        Assert.Equal(time.GetUtcNow(), txn.VerifiedAt);
        txn.EnsureVerified(OtpPurpose.MobileEnrolment);
    }

    [Fact]
    public void GivenAVerifiedTransaction_WhenVerifiedAgain_ThenOtpAlreadyUsed()
    {
        var txn = Issue();
        txn.Verify(Hash("123456"), time).ThrowIfFailed();

        var replay = txn.Verify(Hash("123456"), time);

        Assert.False(replay.Succeeded);
        Assert.False(replay.StateChanged);
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, replay.ErrorCode);
        Assert.Equal(ErrorKind.Conflict, replay.Error!.Kind);
    }

    [Fact]
    public void GivenAWrongOtp_ThenOtpInvalidWithAttemptsLeftAndTheAttemptIsSpent()
    {
        var txn = Issue();

        var first = txn.Verify(Hash("000000"), time);
        var second = txn.Verify(Hash("111111"), time);

        Assert.Equal(HealthIdErrors.OtpInvalid, first.ErrorCode);
        Assert.Equal(2, first.AttemptsLeft);
        Assert.Equal(2, first.Error!.Extensions["attemptsLeft"]);
        Assert.True(first.StateChanged);
        Assert.Equal(1, second.AttemptsLeft);
        Assert.Equal(2, txn.Attempts);
        Assert.Equal(OtpTransactionStatus.Pending, txn.Status);
    }

    [Fact]
    public void GivenThreeWrongOtps_ThenTheTransactionLocksAndEvenTheRightOtpIsRefused()
    {
        var txn = Issue();
        txn.Verify(Hash("000000"), time);
        txn.Verify(Hash("000001"), time);

        var third = txn.Verify(Hash("000002"), time);
        var right = txn.Verify(Hash("123456"), time);

        Assert.Equal(HealthIdErrors.OtpAttemptsExceeded, third.ErrorCode);
        Assert.True(third.StateChanged);
        Assert.Equal(OtpTransactionStatus.Locked, txn.Status);
        Assert.Equal(HealthIdErrors.OtpAttemptsExceeded, right.ErrorCode);
        Assert.False(right.StateChanged);
        var error = Assert.Throws<DomainException>(right.ThrowIfFailed);
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
    }

    [Fact]
    public void GivenALockedTransaction_WhenResendIsAsked_ThenOtpAttemptsExceeded()
    {
        var txn = Issue();
        for (var i = 0; i < 3; i++) txn.Verify(Hash("00000" + i), time);
        time.Advance(TimeSpan.FromMinutes(2));

        var error = Assert.Throws<DomainException>(() => txn.Resend(Hash("654321"), time));
        Assert.Equal(HealthIdErrors.OtpAttemptsExceeded, error.Code);
    }

    [Fact]
    public void GivenTenMinutesHavePassed_WhenTheRightOtpIsSubmitted_ThenOtpExpiredAndNoAttemptIsSpent()
    {
        var txn = Issue();
        time.Advance(TimeSpan.FromMinutes(10));

        var result = txn.Verify(Hash("123456"), time);

        Assert.Equal(HealthIdErrors.OtpExpired, result.ErrorCode);
        Assert.Equal(ErrorKind.Gone, result.Error!.Kind);
        Assert.False(result.StateChanged);
        Assert.Equal(0, txn.Attempts);
    }

    [Fact]
    public void GivenJustUnderTenMinutes_WhenTheRightOtpIsSubmitted_ThenItIsVerified()
    {
        var txn = Issue();
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.True(txn.Verify(Hash("123456"), time).Succeeded);
    }

    [Fact]
    public void GivenTheOtpWasSentLessThanAMinuteAgo_WhenResendIsAsked_ThenTooSoonWithRetryAfter()
    {
        var txn = Issue();
        time.Advance(TimeSpan.FromSeconds(45));

        var error = Assert.Throws<DomainException>(() => txn.Resend(Hash("654321"), time));

        Assert.Equal(HealthIdErrors.OtpResendTooSoon, error.Code);
        Assert.Equal(ErrorKind.TooManyRequests, error.Kind);
        Assert.Equal(15, error.RetryAfterSeconds);
        Assert.Equal(1, txn.Sends);
    }

    [Fact]
    public void GivenAMinuteHasPassed_WhenResent_ThenTheNewCodeWorksTheOldDoesNotAndValidityRestarts()
    {
        var txn = Issue("123456");
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, txn.SecondsUntilResend(time));

        txn.Resend(Hash("654321"), time);
        time.Advance(TimeSpan.FromMinutes(5)); // 14 minutes after the first send, 5 after the resend

        Assert.Equal(2, txn.Sends);
        Assert.Equal(HealthIdErrors.OtpInvalid, txn.Verify(Hash("123456"), time).ErrorCode);
        Assert.True(txn.Verify(Hash("654321"), time).Succeeded);
    }

    [Fact]
    public void GivenWrongAttemptsBeforeAResend_ThenTheyStillCount()
    {
        var txn = Issue();
        txn.Verify(Hash("000000"), time);
        txn.Verify(Hash("000001"), time);
        time.Advance(TimeSpan.FromMinutes(1));
        txn.Resend(Hash("654321"), time);

        var result = txn.Verify(Hash("000002"), time);

        Assert.Equal(HealthIdErrors.OtpAttemptsExceeded, result.ErrorCode);
    }

    [Fact]
    public void GivenAVerifiedTransaction_WhenResendIsAsked_ThenOtpAlreadyUsed()
    {
        var txn = Issue();
        txn.Verify(Hash("123456"), time).ThrowIfFailed();
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, Assert.Throws<DomainException>(() => txn.Resend(Hash("1"), time)).Code);
    }

    [Fact]
    public void GivenAVerifiedTransaction_WhenConsumed_ThenItCannotBeConsumedOrVerifiedAgain()
    {
        var txn = Issue();
        Assert.Throws<DomainException>(() => txn.Consume(OtpPurpose.MobileEnrolment, time));
        txn.Verify(Hash("123456"), time).ThrowIfFailed();

        txn.Consume(OtpPurpose.MobileEnrolment, time);

        Assert.Equal(OtpTransactionStatus.Consumed, txn.Status);
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed,
            Assert.Throws<DomainException>(() => txn.Consume(OtpPurpose.MobileEnrolment, time)).Code);
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, txn.Verify(Hash("123456"), time).ErrorCode);
    }

    [Fact]
    public void GivenATransactionForAnotherPurpose_ThenItIsTreatedAsNotFound()
    {
        var txn = Issue();
        var error = Assert.Throws<DomainException>(() => txn.EnsurePurpose(OtpPurpose.MobileUpdate));
        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void GivenAnUnverifiedTransaction_WhenTheNextStepChecksIt_ThenItIsRefused() =>
        Assert.Throws<DomainException>(() => Issue().EnsureVerified(OtpPurpose.MobileEnrolment));

    [Fact]
    public void OtpHash_DependsOnTheTransaction_SoAHashCannotBeReplayedElsewhere()
    {
        Assert.Equal(Hash("123456"), Hash("123456"));
        Assert.NotEqual(Hash("123456"), Hash("123456", "another-txn"));
        Assert.DoesNotContain("123456", Hash("123456"));
    }

    [Fact]
    public void Transaction_RoundTripsThroughJson_WithIdPkAndNoOtp()
    {
        var txn = OtpTransaction.Issue(TxnId, OtpPurpose.Login, "mobile-hash", Hash("123456"), time,
            abhaNumber: AbhaNumber.Parse("91628545755116"));
        txn.Verify(Hash("000000"), time);

        var json = JsonSerializer.Serialize(txn, NdhmJson.Options);
        var back = JsonSerializer.Deserialize<OtpTransaction>(json, NdhmJson.Options)!;

        Assert.Contains($"\"id\":\"{TxnId}\"", json);
        Assert.Contains($"\"pk\":\"{TxnId}\"", json);
        Assert.Contains("\"purpose\":\"LOGIN\"", json);
        Assert.Contains("\"status\":\"PENDING\"", json);
        Assert.Contains("\"ttl\":86400", json);
        Assert.DoesNotContain("123456", json);
        Assert.Equal(txn.OtpHash, back.OtpHash);
        Assert.Equal(1, back.Attempts);
        Assert.Equal(txn.ExpiresAt, back.ExpiresAt);
        Assert.Equal(txn.AbhaNumber, back.AbhaNumber);
        Assert.True(back.Verify(Hash("123456"), time).Succeeded);
    }

    [Fact]
    public void OtpCode_IsSixDigitsIncludingLeadingZeros()
    {
        var random = new SeededRandom(11);
        for (var i = 0; i < 1_000; i++)
            Assert.True(OtpCode.IsWellFormed(OtpCode.Generate(random)));
        Assert.Equal("000120", OtpCode.Generate(new ScriptedRandom(0, 0, 0, 1, 2, 0)));
        Assert.False(OtpCode.IsWellFormed("12345"));
        Assert.False(OtpCode.IsWellFormed("12345a"));
        Assert.False(OtpCode.IsWellFormed(null));
    }
}

public class MobileOtpWindowTests
{
    private readonly FakeTimeProvider time = Clock.New();

    [Fact]
    public void GivenFiveRequestsWithinAnHour_WhenASixthComes_ThenRateLimitedUntilTheOldestLeavesTheWindow()
    {
        var window = MobileOtpWindow.Open("mobile-hash");
        for (var i = 0; i < 5; i++)
        {
            window.RecordRequest(time);
            time.Advance(TimeSpan.FromMinutes(5));
        }

        // 25 minutes after the first request: it leaves the window 35 minutes from now.
        var error = Assert.Throws<DomainException>(() => window.RecordRequest(time));

        Assert.Equal(HealthIdErrors.OtpRateLimited, error.Code);
        Assert.Equal(ErrorKind.TooManyRequests, error.Kind);
        Assert.Equal(35 * 60, error.RetryAfterSeconds);
        Assert.Equal(0, window.Remaining(time));
    }

    [Fact]
    public void GivenTheOldestRequestLeftTheWindow_ThenOneMoreRequestIsAllowed()
    {
        var window = MobileOtpWindow.Open("mobile-hash");
        for (var i = 0; i < 5; i++) window.RecordRequest(time);
        time.Advance(TimeSpan.FromHours(1));

        window.RecordRequest(time);

        Assert.Single(window.Requests);
        Assert.Equal(4, window.Remaining(time));
    }

    [Fact]
    public void Window_RoundTripsThroughJson()
    {
        var window = MobileOtpWindow.Open("mobile-hash");
        window.RecordRequest(time);
        window.RecordRequest(time);

        var json = JsonSerializer.Serialize(window, NdhmJson.Options);
        var back = JsonSerializer.Deserialize<MobileOtpWindow>(json, NdhmJson.Options)!;

        Assert.Contains("\"id\":\"mobile-hash\"", json);
        Assert.Contains("\"pk\":\"mobile-hash\"", json);
        Assert.Contains("\"ttl\":3600", json);
        Assert.Equal(3, back.Remaining(time));
    }
}
