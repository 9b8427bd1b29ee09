using Microsoft.Playwright;
using Ndhm.IntegrationTests.SamplePartners;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The sample partners' sandbox (a hospital that answers discovery and linking with its own OTP, a pharmacy that
/// quotes and moves its orders along) with headless chromium, for the web app's care screens. Doctors may give join
/// tokens a day early here (<c>Telemedicine__EarlyStartMinutes</c>), so a slot published for tomorrow can be joined
/// now; prescriptions are issued against seeded consultation facts (<c>Pharmacy__SandboxConsultationFacts</c>).
/// </summary>
public sealed class WebAppPartnersFixture : SamplePartnersFixture
{
    private HeadlessChromium? chromium;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(base.ExtraSettings)
    {
        ["Telemedicine__EarlyStartMinutes"] = "2880",
        ["Pharmacy__SandboxConsultationFacts"] = "true",
    };

    public string BaseUrl => $"http://localhost:{Host.Port}";

    public string AxeScript => chromium?.AxeScript ?? "";

    public override async Task InitializeAsync()
    {
        HeadlessChromium.RequireInstalled();
        await base.InitializeAsync();
        chromium = await HeadlessChromium.LaunchAsync(HeadlessChromium.FakeMediaArgs); // the call test's fake camera and microphone
    }

    public override async Task DisposeAsync()
    {
        if (chromium is not null) await chromium.DisposeAsync();
        await base.DisposeAsync();
    }

    public Task<IBrowserContext> NewContextAsync(int width) =>
        (chromium ?? throw new InvalidOperationException("not started")).NewContextAsync(BaseUrl, width);
}
