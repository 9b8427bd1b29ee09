using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Documents;

namespace Ndhm.UnitTests.HealthId;

public sealed class DocumentInputTests
{
    [Theory]
    [InlineData("BR5720100099999", "0099999")]
    [InlineData("br57 2010 0099999", "0099999")]
    [InlineData("MH-12-2015-1234567", "1234567")]
    public void GivenADrivingLicenceNumber_WhenParsed_ThenSeparatorsAndCaseDoNotMatter(string input, string serial)
    {
        var licence = DrivingLicenceNumber.Parse(input);

        Assert.Equal(serial, licence.Serial);
        Assert.DoesNotContain(serial, licence.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("B15720100099999")]
    [InlineData("BR572010009999")]
    [InlineData("BR5718000099999")]
    [InlineData("BR57201000999990")]
    public void GivenAMalformedLicence_WhenParsed_ThenDocumentIdInvalid(string input)
    {
        var error = Assert.Throws<DomainException>(() => DrivingLicenceNumber.Parse(input));

        Assert.Equal(DocumentErrors.DocumentIdInvalid, error.Code);
    }

    [Fact]
    public void GivenPan_WhenTheTypeIsParsed_ThenUnsupported()
    {
        Assert.Equal(IdentityDocumentType.DrivingLicence, DocumentErrors.ParseType("driving_licence"));
        Assert.Equal(DocumentErrors.DocumentTypeUnsupported, Assert.Throws<DomainException>(() => DocumentErrors.ParseType("PAN")).Code);
    }

    [Fact]
    public void GivenJpegPngAndOtherBytes_WhenPhotosAreParsed_ThenOnlyImagesWithinTheLimitPass()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

        Assert.Equal("image/jpeg", DocumentPhoto.Parse(Convert.ToBase64String(jpeg), "f").MediaType);
        Assert.Equal("image/png", DocumentPhoto.Parse("data:image/png;base64," + Convert.ToBase64String(png), "f").MediaType);
        Assert.Equal(DocumentErrors.DocumentPhotoInvalid,
            Assert.Throws<DomainException>(() => DocumentPhoto.Parse(Convert.ToBase64String("GIF89a"u8.ToArray()), "f")).Code);
        Assert.Equal(DocumentErrors.DocumentPhotoTooLarge,
            Assert.Throws<DomainException>(() => DocumentPhoto.Parse(Convert.ToBase64String(jpeg.Concat(new byte[DocumentPhoto.MaxBytes]).ToArray()), "f")).Code);
    }

    [Fact]
    public async Task GivenTheSandboxRegistry_WhenSerialsDiffer_ThenTheFirstDigitDecides()
    {
        var verifier = new SimulatedDocumentVerifier();
        DocumentCheck Check(string dl) => new(IdentityDocumentType.DrivingLicence, DrivingLicenceNumber.Parse(dl),
            PersonName.Create("Sunita", null, "Patil"), DateOfBirth.Create(1988, 6, 15, new DateOnly(2026, 1, 1)), Gender.F);

        Assert.Equal(DocumentVerdict.Verified, await verifier.VerifyAsync(Check("MH1220151234567"), CancellationToken.None));
        Assert.Equal(DocumentVerdict.Mismatch, await verifier.VerifyAsync(Check("MH1220158234567"), CancellationToken.None));
        Assert.Equal(DocumentVerdict.Undecidable, await verifier.VerifyAsync(Check("BR5720100099999"), CancellationToken.None));
    }
}
