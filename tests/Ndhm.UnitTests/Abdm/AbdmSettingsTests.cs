using Ndhm.Core.Abdm;

namespace Ndhm.UnitTests.Abdm;

public sealed class AbdmSettingsTests
{
    [Fact]
    public void GivenNothingConfigured_WhenRead_ThenAbdmsPublishedLifetimes()
    {
        var settings = AbdmSettings.From(_ => null);

        Assert.Equal("sbx", settings.CmId);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.OtpLifetime);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.OtpResendAfter);
        Assert.Equal(TimeSpan.FromHours(24), settings.LinkTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.DiscoveryTimeout);
        Assert.Equal(TimeSpan.FromHours(24), settings.BreakTheGlassLifetime);
        Assert.Equal(20, settings.MaxCareContextsPerLink);
    }

    [Fact]
    public void GivenSettings_WhenRead_ThenTheyOverrideTheDefaults()
    {
        var values = new Dictionary<string, string?>
        {
            ["Abdm__CmId"] = " abdm ",
            ["Abdm__OtpLifetime"] = "00:02:00",
            ["Abdm__MaxCareContextsPerLink"] = "5",
        };

        var settings = AbdmSettings.From(name => values.GetValueOrDefault(name));

        Assert.Equal("abdm", settings.CmId);
        Assert.Equal(TimeSpan.FromMinutes(2), settings.OtpLifetime);
        Assert.Equal(5, settings.MaxCareContextsPerLink);
    }

    [Theory]
    [InlineData("Abdm__OtpLifetime", "ten minutes")]
    [InlineData("Abdm__OtpLifetime", "-00:01:00")]
    [InlineData("Abdm__OtpMaxAttempts", "0")]
    public void GivenAnUnreadableSetting_WhenRead_ThenTheHostRefusesToStart(string name, string value) =>
        Assert.Throws<InvalidOperationException>(() => AbdmSettings.From(n => n == name ? value : null));

    [Fact]
    public void GivenOnlyTheGatewaysCmIdSetting_WhenRead_ThenItNamesTheConsentManager() =>
        Assert.Equal("abdm", AbdmSettings.From(n => n == "Gateway__CmId" ? "abdm" : null).CmId);
}
