using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Abdm;

public sealed class PartnerAuthRulesTests
{
    private static readonly AbhaAccount Ravi = TestAccounts.RaviKumar(Clock.New());

    [Fact]
    public void GivenAnAccountWithAVerifiedMobileAndDemographics_WhenModesAreAsked_ThenMobileOtpDemographicsAndDirect() =>
        Assert.Equal([AuthMode.MobileOtp, AuthMode.Demographics, AuthMode.Direct], PartnerAuthService.ModesFor(Ravi, AuthPurpose.Link));

    [Fact]
    public void GivenAnAccountWithoutAVerifiedMobile_WhenModesAreAsked_ThenNoMobileOtp()
    {
        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = AbhaNumber.Parse("91-6285-4575-5116"),
            Name = PersonName.Create("Asha"),
            Gender = Gender.F,
            DateOfBirth = DateOfBirth.Create(1990, null, null, new DateOnly(2026, 11, 25)),
            KycStatus = KycStatus.Verified,
            AadhaarHash = "aadhaar-hash",
        }, Clock.New());

        Assert.DoesNotContain(AuthMode.MobileOtp, PartnerAuthService.ModesFor(account, AuthPurpose.Kyc));
    }

    [Theory]
    [InlineData("Ravi Shankar Kumar", "M", "1985-11-03", true)]
    [InlineData("  ravi  shankar KUMAR ", "m", "1985", true)]
    [InlineData("Ravi Kumar", "M", "1985-11-03", false)]
    [InlineData("Ravi Shankar Kumar", "F", "1985-11-03", false)]
    [InlineData("Ravi Shankar Kumar", "M", "1986", false)]
    [InlineData("Ravi Shankar Kumar", "M", "1985-11-04", false)]
    [InlineData("Ravi Shankar Kumar", "M", "03-11-1985", false)]
    [InlineData("Ravi Shankar Kumar", null, "1985", false)]
    public void GivenDemographics_WhenCompared_ThenNameGenderAndBirthMustBeTheAccounts(string name, string? gender, string dob, bool match) =>
        Assert.Equal(match, PartnerAuthService.Matches(Ravi, new DemographicCredential(name, gender, dob)));

    [Fact]
    public void GivenAnAccount_WhenSharedForKyc_ThenAbdmDemographicsWithHealthNumberAndMobile()
    {
        var patient = PartnerAuthService.Demographics(Ravi, "ravi@sbx");

        Assert.Equal("ravi@sbx", patient.Id);
        Assert.Equal("M", patient.Gender);
        Assert.Equal(1985, patient.YearOfBirth);
        Assert.Contains(new PatientIdentifier("HEALTH_NUMBER", "91-6285-4575-5116"), patient.Identifiers!);
        Assert.Contains(new PatientIdentifier("MOBILE", "9000000002"), patient.Identifiers!);
        Assert.Equal("821307", patient.Address!.Pincode);
    }

    [Theory]
    [InlineData("OTP_INVALID", "ABDM-1041")]
    [InlineData("OTP_EXPIRED", "ABDM-1042")]
    [InlineData("OTP_ATTEMPTS_EXCEEDED", "ABDM-1043")]
    [InlineData("OTP_RATE_LIMITED", "ABDM-1070")]
    [InlineData("TXN_NOT_FOUND", "ABDM-1040")]
    public void GivenAnOtpFailure_WhenRaisedToAPartner_ThenThePreciseAbdmCodeBesideHealthIdsCode(string code, string abdm)
    {
        var error = PartnerAuthErrors.FromOtp(new DomainException(ErrorKind.Validation, code, "t") { RetryAfterSeconds = 5 });

        Assert.Equal(abdm, AbdmErrors.AbdmCodeFor(error));
        Assert.Equal(code, error.Code);
        Assert.Equal(5, error.RetryAfterSeconds);
    }

    [Fact]
    public void GivenATransaction_WhenAnotherRequesterAsks_ThenItDoesNotBelongToThem()
    {
        var txn = new PartnerAuthTransaction("partner-auth:t", "partner-auth:t", "t", "city", RequesterType.Hip, "IN3610000001", AuthPurpose.Link,
            AuthMode.MobileOtp, Ravi.AbhaNumber, "ravi@sbx", "otp", 0, PartnerAuthStatus.Pending, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 60);

        Assert.True(txn.BelongsTo(new AuthRequester("city", RequesterType.Hip, "IN3610000001")));
        Assert.False(txn.BelongsTo(new AuthRequester("city", RequesterType.Hip, "IN3610000002")));
        Assert.False(txn.BelongsTo(new AuthRequester("other", RequesterType.Hip, "IN3610000001")));
        Assert.False(txn.BelongsTo(new AuthRequester("city", RequesterType.Hiu, "IN3610000001")));
        Assert.Equal("PARTNER_AUTH", System.Text.Json.JsonSerializer.Serialize(OtpPurpose.PartnerAuth, Ndhm.Core.Json.NdhmJson.Options).Trim('"'));
    }
}
