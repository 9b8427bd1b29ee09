using Ndhm.Core.Errors;
using Ndhm.HealthId.Consent;

namespace Ndhm.UnitTests.HealthId;

public sealed class EnrolmentConsentCatalogueTests
{
    private static readonly EnrolmentConsentCatalogue Catalogue = EnrolmentConsentCatalogue.Embedded;
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("en")]
    [InlineData("hi")]
    public void GivenTheEmbeddedTexts_WhenFindingVersion14_ThenEachLanguageHasATitleAndParagraphs(string language)
    {
        var text = Catalogue.Find("1.4", language);

        Assert.Equal("abha-enrollment", text.Code);
        Assert.Equal(language, text.Language);
        Assert.False(string.IsNullOrWhiteSpace(text.Title));
        Assert.True(text.Text.Count >= 3);
    }

    [Fact]
    public void GivenTheHindiText_WhenRead_ThenItIsInDevanagari()
    {
        var text = Catalogue.Find("1.4", "hi");

        Assert.Contains(text.Title, c => c is >= '\u0900' and <= '\u097F');
    }

    [Fact]
    public void GivenNoVersionOrLanguage_WhenFinding_ThenTheLatestEnglishText()
    {
        var text = Catalogue.Find(null, null);

        Assert.Equal(Catalogue.LatestVersion, text.Version);
        Assert.Equal("en", text.Language);
    }

    [Fact]
    public void GivenAKnownVersionAndLanguage_WhenAccepted_ThenTheRecordNamesThem()
    {
        var accepted = Catalogue.Accept("abha-enrollment", "1.4", "HI", Now);

        Assert.Equal(new AcceptedConsent("abha-enrollment", "1.4", "hi", Now), accepted);
    }

    [Theory]
    [InlineData("abha-enrollment", "9.9", "en", "CONSENT_VERSION_UNKNOWN")]
    [InlineData("abha-enrollment", "1.4", "ta", "CONSENT_LANGUAGE_UNKNOWN")]
    [InlineData("other", "1.4", "en", "CONSENT_REQUIRED")]
    [InlineData("abha-enrollment", " ", "en", "CONSENT_REQUIRED")]
    public void GivenAnUnknownConsent_WhenAccepted_ThenRefusedWithItsCode(string code, string version, string language, string expected)
    {
        var error = Assert.Throws<DomainException>(() => Catalogue.Accept(code, version, language, Now));

        Assert.Equal(expected, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }
}
