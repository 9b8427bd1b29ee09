using Ndhm.Core.Security;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The web app's browser host with the small-cell threshold lowered through its documented setting
/// (<c>Analytics__SmallCellThreshold</c>, functions/Ndhm.Analytics/README.md) so a handful of seeded facts make a
/// released cell, and one ANALYTICS partner (the dashboard's official) registered with that single role.
/// </summary>
public sealed class AnalyticsDashboardFixture : WebAppHostFixture
{
    public const int Threshold = 3;

    protected override IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Analytics__SmallCellThreshold"] = Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string AnalyticsClientId { get; private set; } = "";

    public string AnalyticsSecret { get; private set; } = "";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        (AnalyticsClientId, AnalyticsSecret) = await Gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Analytics], []);
    }
}
