using Microsoft.Playwright;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// A headless Debian chromium driven by Playwright, and axe-core, as every browser fixture of the web app starts them.
/// The browser is the system's (<c>/usr/bin/chromium</c>, or NDHM_CHROMIUM): the project's scripts install it with
/// apt-get, and nothing here downloads one. axe-core comes from the emulators' npm packages.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IPlaywright playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser, string axeScript)
    {
        this.playwright = playwright;
        Browser = browser;
        AxeScript = axeScript;
    }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("NDHM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string AxeScriptPath => Path.Combine(SandboxEndpoints.RepoRoot, "local-emulators", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Screenshots and measurements of a run (gitignored).</summary>
    public static string ArtefactsDirectory => Path.Combine(SandboxEndpoints.RepoRoot, ".test-artifacts", "webapp");

    public IBrowser Browser { get; }

    public string AxeScript { get; }

    /// <summary>Fails early, naming the install command, when chromium or axe-core is missing.</summary>
    public static void RequireInstalled()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"chromium is not installed at {ChromiumPath}: run local-emulators/sandbox.sh install (it installs Debian's package).");
        if (!File.Exists(AxeScriptPath))
            throw new InvalidOperationException($"axe-core is missing ({AxeScriptPath}): run local-emulators/sandbox.sh install (npm ci).");
    }

    /// <summary>
    /// What a WebRTC call needs in a headless browser with no camera: a fake camera and microphone (a test pattern and a
    /// tone), the permission prompt answered yes, loopback host candidates allowed (both ends are on this machine and
    /// the platform configures no STUN/TURN by default), and remote media allowed to play without a click.
    /// </summary>
    public static readonly string[] FakeMediaArgs =
    [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--allow-loopback-in-peer-connection",
        "--autoplay-policy=no-user-gesture-required",
    ];

    public static async Task<HeadlessChromium> LaunchAsync(params string[] extraArgs)
    {
        RequireInstalled();
        // Playwright's 5 s default is for a quiet machine; here the host renders cards and runs flows on 2 shared cores
        // beside other test classes (a card image was seen to take longer). A real failure still fails, later.
        Assertions.SetDefaultExpectTimeout(20_000);
        var axe = await File.ReadAllTextAsync(AxeScriptPath);
        Directory.CreateDirectory(ArtefactsDirectory);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", .. extraArgs],
        });
        return new HeadlessChromium(playwright, browser, axe);
    }

    /// <summary>A fresh browser profile (no cookies, no cache) at a phone's or a desktop's width, Indian English locale.</summary>
    public Task<IBrowserContext> NewContextAsync(string baseUrl, int width) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl,
        ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 780 : 900 },
        Locale = "en-IN",
        AcceptDownloads = true,
        TimezoneId = "Asia/Kolkata",
    });

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright.Dispose();
    }
}
