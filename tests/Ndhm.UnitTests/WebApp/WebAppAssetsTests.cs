using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.Analytics;
using Ndhm.Triggers.WebApp;

namespace Ndhm.UnitTests.WebApp;

public sealed partial class WebAppAssetsTests
{
    private static string Html(WebAppAsset page) => Encoding.UTF8.GetString(page.Plain);

    [Fact]
    public void GivenTheSite_WhenThePatientPageIsRendered_ThenItNamesNoFileOfTheAnalyticsDashboard()
    {
        var html = Html(WebAppAssets.Page);

        Assert.DoesNotContain(WebAppAssets.AnalyticsFolder, html, StringComparison.Ordinal);
        Assert.DoesNotContain("chart", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("/app.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheSite_WhenTheDashboardPageIsRendered_ThenItLoadsTheVendoredChartAndItsOwnModules_AndListsEveryMeasure()
    {
        var html = Html(WebAppAssets.AnalyticsPage);
        var assets = $"/api/app/assets/{WebAppAssets.Version}/";

        Assert.Contains($"<script src=\"{assets}analytics/vendor/chart.umd.min.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains($"<script type=\"module\" src=\"{assets}analytics/dashboard.js\"></script>", html, StringComparison.Ordinal);
        Assert.Contains($"<link rel=\"modulepreload\" href=\"{assets}dom.js\">", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
        var definitions = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(Definitions().Match(html).Groups["json"].Value)).RootElement;
        Assert.Equal(AnalyticsDefinitions.Default.Measures.Select(m => m.Name),
            definitions.GetProperty("measures").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public void GivenTheVendoredChartJs_WhenHashed_ThenItIsByteForByteTheNpmPackagesFile()
    {
        // functions/Ndhm.Triggers/WebApp/Site/analytics/vendor/README.md: chart.js 4.6.1, dist/chart.umd.min.js.
        Assert.True(WebAppAssets.All.TryGetValue("analytics/vendor/chart.umd.min.js", out var chart));

        Assert.Equal("87364cc2b2a76a6684929e7d6b80b18a897794db38400caff1fcf1791c6925d2", Convert.ToHexStringLower(SHA256.HashData(chart.Plain)));
        Assert.StartsWith("/*!\n * Chart.js v4.6.1", Encoding.UTF8.GetString(chart.Plain), StringComparison.Ordinal);
        Assert.DoesNotContain(WebAppAssets.All.Keys, k => k.EndsWith(".md", StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheDashboardsLanguageFiles_WhenCompared_ThenEveryLanguageHasEveryEnglishKey()
    {
        var english = Keys("analytics/i18n/en.json");

        foreach (var language in WebAppAssets.Languages)
        {
            Assert.Empty(english.Except(Keys($"analytics/i18n/{language.Code}.json")));
        }
    }

    [Fact]
    public void GivenTheLazyScreens_WhenThePatientPageIsRendered_ThenItPreloadsWhatAppJsImportsStatically_ButNoScreenLoadedOnDemand()
    {
        var html = Html(WebAppAssets.Page);
        var assets = $"/api/app/assets/{WebAppAssets.Version}/";

        foreach (var module in new[] { "dom.js", "i18n.js", "api.js", "screens/signin.js", "screens/records.js", "screens/fhir.js" })
            Assert.Contains($"<link rel=\"modulepreload\" href=\"{assets}{module}\">", html, StringComparison.Ordinal);
        foreach (var lazy in new[] { "screens/facilities.js", "screens/teleconsult.js", "screens/call.js", "screens/pharmacy.js" })
        {
            Assert.True(WebAppAssets.All.ContainsKey(lazy), lazy);
            Assert.DoesNotContain(lazy, html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void GivenThePatientAppsLanguageFiles_WhenCompared_ThenEveryLanguageHasEveryEnglishKey()
    {
        var english = Keys("i18n/en.json");

        foreach (var language in WebAppAssets.Languages)
        {
            Assert.Empty(english.Except(Keys($"i18n/{language.Code}.json")));
        }
    }

    private static HashSet<string> Keys(string path) =>
        JsonDocument.Parse(WebAppAssets.All[path].Plain).RootElement.EnumerateObject().Select(p => p.Name).ToHashSet();

    [GeneratedRegex("data-definitions=\"(?<json>[^\"]*)\"")]
    private static partial Regex Definitions();
}
