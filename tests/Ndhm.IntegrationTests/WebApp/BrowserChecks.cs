using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>What every screen of the web app is held to in the browser: no serious or critical axe-core violation, no
/// Content-Security-Policy report or script error, and a screenshot kept as a test artefact.</summary>
public sealed class BrowserChecks(IPage page, string axeScript, ITestOutputHelper output)
{
    private readonly List<string> problems = [];

    public IPage Page => page;

    public void Watch()
    {
        page.Console += (_, message) =>
        {
            // A refused fetch (a 404 the app expects, e.g. no nominee yet) is logged as an error too; CSP refusals are what count.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                problems.Add($"console error: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
    }

    /// <summary>Runs axe-core on the current screen (evaluated through the devtools protocol, so the page's CSP stays as served).</summary>
    public async Task AxeAsync(string screen)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(axeScript);
        }

        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3) }))");
        var all = violations.EnumerateArray().ToList();
        foreach (var v in all) output.WriteLine($"axe {screen}: {v.GetProperty("impact")} {v.GetProperty("id")}: {v.GetProperty("help")} at {v.GetProperty("nodes")}");
        var serious = all.Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{screen}: axe-core found serious or critical violations: {string.Join("; ", serious.Select(v => v.ToString()))}");
    }

    public async Task ScreenshotAsync(string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(WebAppHostFixture.ArtefactsDirectory, $"{name}-{width}.png"), FullPage = true });
    }

    /// <summary>Axe and a screenshot of the screen now shown.</summary>
    public async Task ScreenAsync(string name)
    {
        await AxeAsync($"{name} at {page.ViewportSize?.Width}px");
        await ScreenshotAsync(name);
    }

    public void AssertNoProblems() => Assert.True(problems.Count == 0, string.Join("\n", problems));

    /// <summary>The transactions whose OTPs the sandbox outbox holds for <paramref name="mobile"/> now.</summary>
    public static async Task<HashSet<string>> OtpTransactionsAsync(HttpClient client, string mobile)
    {
        using var outbox = JsonDocument.Parse(await client.GetStringAsync($"api/sandbox/otp-outbox?mobile={mobile}"));
        return outbox.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("txnId").GetString()!).ToHashSet();
    }

    /// <summary>
    /// The OTP of a transaction not in <paramref name="before"/> (what the patient reads off their phone after pressing
    /// Send OTP): not merely the newest message, which may still be an earlier one when the new OTP is a moment late.
    /// </summary>
    public static async Task<string> NewOtpAsync(HttpClient client, string mobile, IReadOnlySet<string> before)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var outbox = JsonDocument.Parse(await client.GetStringAsync($"api/sandbox/otp-outbox?mobile={mobile}"));
            var fresh = outbox.RootElement.GetProperty("messages").EnumerateArray()
                .Where(m => !before.Contains(m.GetProperty("txnId").GetString()!)).ToList();
            if (fresh.Count > 0) return fresh[^1].GetProperty("otp").GetString()!;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no new OTP for {mobile}");
            await Task.Delay(200);
        }
    }
}
