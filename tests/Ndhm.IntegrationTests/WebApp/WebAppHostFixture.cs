using Microsoft.Playwright;
using Ndhm.IntegrationTests.Consents;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The consent test host (partners, facilities, simulated KYC identities) plus a headless Debian chromium driven by
/// Playwright (<see cref="HeadlessChromium"/>).
/// </summary>
public class WebAppHostFixture : ConsentHostFixture
{
    private HeadlessChromium? chromium;

    public static string ChromiumPath => HeadlessChromium.ChromiumPath;

    public static string AxeScriptPath => HeadlessChromium.AxeScriptPath;

    /// <summary>Screenshots and measurements of a run (gitignored).</summary>
    public static string ArtefactsDirectory => HeadlessChromium.ArtefactsDirectory;

    public IBrowser Browser => (chromium ?? throw new InvalidOperationException("not started")).Browser;

    public string BaseUrl => $"http://localhost:{Host.Port}";

    public string AxeScript => chromium?.AxeScript ?? "";

    public override async Task InitializeAsync()
    {
        HeadlessChromium.RequireInstalled();
        await base.InitializeAsync();
        chromium = await HeadlessChromium.LaunchAsync();
    }

    public override async Task DisposeAsync()
    {
        if (chromium is not null) await chromium.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser profile (no cookies, no cache) at a phone's or a desktop's width, Indian English locale.</summary>
    public Task<IBrowserContext> NewContextAsync(int width) =>
        (chromium ?? throw new InvalidOperationException("not started")).NewContextAsync(BaseUrl, width);
}
