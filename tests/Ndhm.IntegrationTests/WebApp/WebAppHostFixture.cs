using Microsoft.Playwright;
using Ndhm.IntegrationTests.Consents;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The consent test host (partners, facilities, simulated KYC identities) plus a headless Debian chromium driven by
/// Playwright. The browser is the system's (<c>/usr/bin/chromium</c>, or NDHM_CHROMIUM): the project's scripts install
/// it with apt-get, and nothing here downloads one. axe-core comes from the emulators' npm packages.
/// </summary>
public class WebAppHostFixture : ConsentHostFixture
{
    private IPlaywright? playwright;
    private IBrowser? browser;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("NDHM_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string AxeScriptPath => Path.Combine(SandboxEndpoints.RepoRoot, "local-emulators", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Screenshots and measurements of a run (gitignored).</summary>
    public static string ArtefactsDirectory => Path.Combine(SandboxEndpoints.RepoRoot, ".test-artifacts", "webapp");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("not started");

    public string BaseUrl => $"http://localhost:{Host.Port}";

    public string AxeScript { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"chromium is not installed at {ChromiumPath}: run local-emulators/sandbox.sh install (it installs Debian's package).");
        if (!File.Exists(AxeScriptPath))
            throw new InvalidOperationException($"axe-core is missing ({AxeScriptPath}): run local-emulators/sandbox.sh install (npm ci).");
        AxeScript = await File.ReadAllTextAsync(AxeScriptPath);
        Directory.CreateDirectory(ArtefactsDirectory);
        await base.InitializeAsync();
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (browser is not null) await browser.CloseAsync();
        playwright?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>A fresh browser profile (no cookies, no cache) at a phone's or a desktop's width, Indian English locale.</summary>
    public Task<IBrowserContext> NewContextAsync(int width) => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = BaseUrl,
        ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 780 : 900 },
        Locale = "en-IN",
        AcceptDownloads = true,
        TimezoneId = "Asia/Kolkata",
    });
}
