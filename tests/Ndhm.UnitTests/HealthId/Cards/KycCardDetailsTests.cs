using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;

namespace Ndhm.UnitTests.HealthId.Cards;

/// <summary>The e-KYC's local-language name and photo, from the sandbox identities into the account and out on erasure.</summary>
public sealed class KycCardDetailsTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly HealthIdRig rig;

    public KycCardDetailsTests() => rig = new HealthIdRig(time);

    private async Task<EnrolmentResult> EnrolAsync(string aadhaar)
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse(aadhaar), CancellationToken.None);
        return await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, CancellationToken.None);
    }

    [Fact]
    public async Task GivenAnIdentityWithAHindiNameAndAPhoto_WhenEnrolledByAadhaar_ThenTheAccountCarriesBoth()
    {
        var account = (await EnrolAsync("999900000016")).Account;

        Assert.Equal(new LocalName("आशा वर्मा", "hi"), account.LocalName);
        Assert.Equal(Convert.FromBase64String(SandboxKycPhotos.Asha), account.Photo);
        Assert.Equal([0xFF, 0xD8], account.Photo![..2]);
    }

    [Fact]
    public async Task GivenAnIdentityWithoutThem_WhenEnrolledByAadhaar_ThenTheAccountHasNeither()
    {
        var account = (await EnrolAsync("999900000059")).Account;

        Assert.Null(account.LocalName);
        Assert.Null(account.Photo);
    }

    [Fact]
    public async Task GivenAnAccountWithALocalNameAndAPhoto_WhenErased_ThenBothAreRemoved()
    {
        var account = (await EnrolAsync("999900000016")).Account;

        account.Erase(time);

        Assert.Null(account.LocalName);
        Assert.Null(account.Photo);
    }

    [Theory]
    [InlineData("आशा वर्मा", "hindi")]
    [InlineData("आशा वर्मा", null)]
    [InlineData("आशा 2", "hi")]
    public void GivenALocalNameOrLanguageThatIsNotValid_WhenAKycIdentityIsRead_ThenNameInvalid(string name, string? language)
    {
        var error = Assert.Throws<DomainException>(() => Identity(name, language, null).ToRecord());

        Assert.Equal("NAME_INVALID", error.Code);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("iVBORw0KGgo=")]
    public void GivenAPhotoThatIsNotABase64Jpeg_WhenAKycIdentityIsRead_ThenItIsRefused(string photo)
    {
        Assert.Throws<ArgumentException>(() => Identity(null, null, photo).ToRecord());
    }

    private static KycTestIdentity Identity(string? localName, string? language, string? photo) => new()
    {
        AadhaarNumber = "999900000016", FirstName = "Asha", Gender = "F", BirthDate = "1990-04-12", PinCode = "411005",
        Mobile = "9000000001", LocalName = localName, LocalNameLanguage = language, Photo = photo,
    };
}
