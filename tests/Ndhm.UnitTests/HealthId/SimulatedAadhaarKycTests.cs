using Ndhm.UnitTests.RateLimits;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

public class SimulatedAadhaarKycTests
{
    private readonly RecordingSender sender = new();
    private readonly HmacIdentityHasher hasher = new(new FixedKeySource());
    private readonly FakeTimeProvider time = Clock.New();
    private readonly SimulatedAadhaarKyc kyc;

    public SimulatedAadhaarKycTests()
    {
        var keys = new FixedKeySource();
        var otp = new OtpService(new InMemoryOtpTransactions(), new InMemoryOtpWindows(), sender, new HmacOtpHasher(keys),
            hasher, new SeededRandom(9), time, new OtpTargetLimits(new InMemoryRateLimiter(time), InMemoryRateLimiter.Generous, hasher));
        kyc = new SimulatedAadhaarKyc(new SimulatedKycProvider(), otp, hasher);
    }

    [Fact]
    public async Task GivenATestIdentity_TheOtpGoesToItsRegisteredMobileAndReleasesItsDemographics()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse("999900000028"), CancellationToken.None);

        Assert.Equal("OTP is sent to Aadhaar registered mobile number ending with ******0002", sent.Message);
        Assert.Equal("9000000002", sender.Sent.Single().To.Digits);

        var verified = await kyc.VerifyOtpAsync(sent.TxnId, sender.Sent[0].Otp, CancellationToken.None);

        Assert.Equal("Ravi Shankar Kumar", verified.Record.Name.FullName);
        Assert.Equal(await hasher.HashAadhaarAsync(AadhaarNumber.Parse("999900000028"), CancellationToken.None), verified.AadhaarHash);
    }

    [Fact]
    public async Task GivenAWrongOtp_NoDemographicsAreReleased()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), CancellationToken.None);
        var wrong = sender.Sent[0].Otp == "000000" ? "111111" : "000000";

        var error = await Assert.ThrowsAsync<DomainException>(() => kyc.VerifyOtpAsync(sent.TxnId, wrong, CancellationToken.None));

        Assert.Equal(HealthIdErrors.OtpInvalid, error.Code);
    }

    [Fact]
    public async Task GivenAnAadhaarOtp_WhenResentWithinAMinute_ThenTooSoon_AndAfterIt_ANewCodeForTheSameTxnReleasesTheDemographics()
    {
        var aadhaar = AadhaarNumber.Parse("999900000028");
        var sent = await kyc.SendOtpAsync(aadhaar, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(45));

        var tooSoon = await Assert.ThrowsAsync<DomainException>(() => kyc.ResendOtpAsync(sent.TxnId, aadhaar, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(15));
        var resent = await kyc.ResendOtpAsync(sent.TxnId, aadhaar, CancellationToken.None);
        var verified = await kyc.VerifyOtpAsync(sent.TxnId, sender.Sent[^1].Otp, CancellationToken.None);

        Assert.Equal(HealthIdErrors.OtpResendTooSoon, tooSoon.Code);
        Assert.Equal(15, tooSoon.RetryAfterSeconds);
        Assert.Equal(sent.TxnId, resent.TxnId);
        Assert.Equal("OTP is sent to Aadhaar registered mobile number ending with ******0002", resent.Message);
        Assert.Equal(2, sender.Sent.Count);
        Assert.All(sender.Sent, d => Assert.Equal("9000000002", d.To.Digits));
        Assert.Equal("Ravi Shankar Kumar", verified.Record.Name.FullName);
    }

    [Fact]
    public async Task GivenAnAadhaarOtp_WhenResentForAnotherAadhaar_ThenTxnNotFoundAndNothingIsSent()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse("999900000028"), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            kyc.ResendOtpAsync(sent.TxnId, AadhaarNumber.Parse("999900000016"), CancellationToken.None));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task GivenAValidButUnknownAadhaar_ThenKycNotFoundAndNoOtpIsSent()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            kyc.SendOtpAsync(AadhaarNumber.Parse("234123412346"), CancellationToken.None));
        Assert.Equal(HealthIdErrors.KycNotFound, error.Code);
        Assert.Empty(sender.Sent);
    }
}
