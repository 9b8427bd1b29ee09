using Ndhm.HealthId.Cards;
using Ndhm.Triggers.HealthId;

namespace Ndhm.UnitTests.HealthId.Cards;

public sealed class AbhaCardFormatTests
{
    [Theory]
    [InlineData(null, AbhaCardFormat.Png)]
    [InlineData("", AbhaCardFormat.Png)]
    [InlineData("*/*", AbhaCardFormat.Png)]
    [InlineData("image/png", AbhaCardFormat.Png)]
    [InlineData("image/*", AbhaCardFormat.Png)]
    [InlineData("application/pdf", AbhaCardFormat.Pdf)]
    [InlineData("application/pdf, */*;q=0.1", AbhaCardFormat.Pdf)]
    [InlineData("image/png;q=0.5, application/pdf", AbhaCardFormat.Pdf)]
    [InlineData("application/pdf;q=0.5, image/png", AbhaCardFormat.Png)]
    [InlineData("application/pdf;q=0", AbhaCardFormat.Png)]
    [InlineData("text/html", AbhaCardFormat.Png)]
    [InlineData("not a media type;;", AbhaCardFormat.Png)]
    public void GivenAnAcceptHeader_WhenTheCardFormatIsChosen_ThenPdfOnlyWhenPreferredOverPng(string? accept, AbhaCardFormat expected)
    {
        Assert.Equal(expected, AbhaCardDownload.FormatFor(accept is null ? [] : [accept]));
    }
}
