using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ndhm.Analytics;
using Ndhm.Core.Security;
using Ndhm.Infrastructure.Analytics;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The analytics dashboard: its separate sign-in (an ANALYTICS partner's client credentials; the cookie reaches the
/// aggregate query and nothing else, and no patient session reaches the query), then in chromium: a chart of seeded
/// facts, a suppressed cell shown as suppressed (never 0), the CSV download and sign-out; axe-core on every screen and
/// screenshots at 360 and 1280 px (.test-artifacts/webapp/analytics-*).
/// </summary>
public sealed class AnalyticsDashboardTests(AnalyticsDashboardFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyticsDashboardFixture>
{
    // Last month, whole: closed, so nothing is clamped.
    private static readonly DateOnly Month = new DateOnly(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1).AddMonths(-1);

    private readonly HttpClient client = new(new HttpClientHandler { UseCookies = false }) { BaseAddress = fixture.Client.BaseAddress };

    [Fact]
    public async Task GivenAnAnalyticsSession_WhenItCallsTheApi_ThenOnlyTheAggregateQueryAcceptsIt_AndNoPatientSessionReachesTheQuery()
    {
        // Arrange: the analytics official signs in with the partner's client credentials.
        using var signedIn = await PostAsync("api/app/analytics/session/login", new { clientId = fixture.AnalyticsClientId, clientSecret = fixture.AnalyticsSecret });
        var body = await signedIn.Content.ReadAsStringAsync();
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, body);
        Assert.DoesNotContain("\"accessToken", body, StringComparison.Ordinal);
        var setCookies = signedIn.Headers.GetValues("Set-Cookie").ToList();
        var session = Assert.Single(setCookies, c => c.StartsWith("ndhm_analytics=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/v1/analytics", session, StringComparison.OrdinalIgnoreCase);
        var cookies = string.Join("; ", setCookies.Select(c => c.Split(';')[0]));
        var query = $"api/v1/analytics/aggregates?measure=dispensings&from={Month:yyyy-MM-dd}&to={Month.AddDays(6):yyyy-MM-dd}";

        // Act + Assert: the aggregate query accepts the cookie alone.
        using (var answered = await SendAsync(HttpMethod.Get, query, cookies))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        // Nothing else does: not a patient route, not another endpoint the ANALYTICS role may call with a bearer token.
        foreach (var path in new[] { "api/v3/profile/account", "api/v1/facilities?name=x", "api/v1/partners" })
        {
            using var refused = await SendAsync(HttpMethod.Get, path, cookies);
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{path}: {(int)refused.StatusCode}");
        }

        // A token with more than the ANALYTICS role in the analytics cookie is refused.
        var broader = await SandboxHostFixture.TokenForAsync(client, "ops-analytics", Roles.Analytics, Roles.PlatformAdmin);
        using (var notAnalyticsOnly = await SendAsync(HttpMethod.Get, query, $"ndhm_analytics={broader}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, notAnalyticsOnly.StatusCode);
        }

        // A patient's web session does not reach the aggregate query.
        var identity = fixture.NextIdentity();
        var txnId = await HealthIdApi.RequestOtpAsync(client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await HealthIdApi.ReadOtpAsync(client, identity.Mobile, txnId);
        using var enrolled = await HealthIdApi.PostAsync(client, "app/session/enrol", new { authData = HealthIdApi.OtpAuth(txnId, otp), consent = HealthIdApi.Consent });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        var patientCookies = string.Join("; ", enrolled.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        using (var patientOnQuery = await SendAsync(HttpMethod.Get, query, patientCookies))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, patientOnQuery.StatusCode);
        }

        using (var patientWithBoth = await SendAsync(HttpMethod.Get, "api/v3/profile/account", patientCookies + "; " + cookies))
        {
            Assert.Equal(HttpStatusCode.OK, patientWithBoth.StatusCode); // the patient's own route still takes the patient's cookie
        }

        // Only an ANALYTICS partner signs in; wrong credentials are 401.
        var (hiu, hiuSecret) = await fixture.Gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Hiu], []);
        using (var notAnalytics = await PostAsync("api/app/analytics/session/login", new { clientId = hiu, clientSecret = hiuSecret }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAnalytics.StatusCode);
            Assert.False(notAnalytics.Headers.TryGetValues("Set-Cookie", out var none) && none.Any(c => c.StartsWith("ndhm_analytics=", StringComparison.Ordinal)));
        }

        using (var wrong = await PostAsync("api/app/analytics/session/login", new { clientId = fixture.AnalyticsClientId, clientSecret = "wrong" + fixture.AnalyticsSecret }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        // Sign-out clears both cookies.
        using var signedOut = await SendAsync(HttpMethod.Post, "api/app/analytics/session/logout", cookies);
        var cleared = signedOut.Headers.GetValues("Set-Cookie").ToList();
        Assert.All(["ndhm_analytics=;", "ndhm_analytics_csrf=;"], name =>
            Assert.Contains(cleared, c => c.StartsWith(name, StringComparison.Ordinal) && c.Contains("1970", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task GivenSeededFacts_WhenAnAnalyticsOfficialUsesTheDashboard_ThenChartsAndTableShowThem_SuppressedCellsAsSuppressed_AndCsvDownloads()
    {
        // Arrange: a state of our own; 5 women on the 3rd, 4 women and 1 man on the 4th. With the threshold at 3 the
        // man's cell (1) is withheld at every grain: the dashboard must show it as suppressed, never as 0.
        var state = "Z" + (char)('A' + Random.Shared.Next(26)); // no real state code starts with Z; the run's database is its own
        var third = Month.AddDays(2);
        var fourth = Month.AddDays(3);
        await SeedAsync([
            .. Enumerable.Range(0, 5).Select(i => Fact(state, third, "F", "IN-DASH-A" + (i % 2))),
            .. Enumerable.Range(0, 4).Select(i => Fact(state, fourth, "F", "IN-DASH-A" + (i % 2))),
            Fact(state, fourth, "M", "IN-DASH-A1"),
        ]);
        var token = await SandboxHostFixture.TokenForAsync(client, "dashboard-check", Roles.Analytics);
        await WaitForTotalAsync(token, $"measure=dispensings&state={state}&from={Month:yyyy-MM-dd}&to={Month.AddDays(6):yyyy-MM-dd}", 9);

        foreach (var width in new[] { 360, 1280 })
        {
            await using var context = await fixture.NewContextAsync(width);
            var page = await context.NewPageAsync();
            var checks = new BrowserChecks(page, fixture.AxeScript, output);
            checks.Watch();

            // Sign in.
            await page.GotoAsync("/api/app/analytics");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Analytics sign-in" })).ToBeVisibleAsync();
            await checks.ScreenAsync("analytics-signin");
            await page.GetByLabel("Client ID").FillAsync(fixture.AnalyticsClientId);
            await page.GetByLabel("Client secret").FillAsync(fixture.AnalyticsSecret);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Public-health aggregates" })).ToBeVisibleAsync();
            var sessionCookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "ndhm_analytics");
            Assert.True(sessionCookie.HttpOnly);
            Assert.DoesNotContain("ndhm_analytics=", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);

            // Choose measure, breakdown, grain, range and state; show.
            await page.GetByLabel("Measure").SelectOptionAsync("dispensings");
            await page.GetByLabel("Break down by").SelectOptionAsync("gender");
            await page.GetByLabel("Period", new() { Exact = true }).SelectOptionAsync("day");
            await page.GetByLabel("From").FillAsync($"{Month:yyyy-MM-dd}");
            await page.GetByLabel("To", new() { Exact = true }).FillAsync($"{Month.AddDays(6):yyyy-MM-dd}");
            await page.GetByLabel("State code").FillAsync(state);
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Expect(page.Locator("#summary")).ToContainTextAsync("Total 9");

            // The chart is drawn from the same numbers, with the withheld cell a gap (null), not 0.
            var series = await page.EvaluateAsync<JsonElement>(
                "() => Chart.getChart(document.querySelector('canvas')).data.datasets.map(d => ({ label: d.label, data: d.data }))");
            var women = series.EnumerateArray().Single(s => s.GetProperty("label").GetString() == "F").GetProperty("data");
            var men = series.EnumerateArray().Single(s => s.GetProperty("label").GetString() == "M").GetProperty("data");
            Assert.Equal(5, women[2].GetInt32());
            Assert.Equal(4, women[3].GetInt32());
            Assert.Equal(JsonValueKind.Null, men[3].ValueKind);
            Assert.True(await page.EvaluateAsync<bool>("() => Chart.getChart(document.querySelectorAll('canvas')[1]).data.datasets[0].data[0] === 9"));

            // The table: the men's cell on the 4th reads "suppressed", and no cell reads 0.
            var fourthRow = page.Locator("#time-table tbody tr").Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = $"{fourth:yyyy-MM-dd}" }) });
            var header = await page.Locator("#time-table thead th").AllInnerTextsAsync();
            var cells = await fourthRow.Locator("td").AllInnerTextsAsync();
            Assert.Equal("4", cells[header.ToList().IndexOf("F") - 1]);
            Assert.Equal("suppressed", cells[header.ToList().IndexOf("M") - 1]);
            Assert.DoesNotContain("0", await page.Locator("#time-table td").AllInnerTextsAsync());
            await checks.ScreenAsync("analytics-dashboard");

            // CSV: the query's own CSV, the released rows only.
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
            Assert.Equal($"analytics-dispensings-{Month:yyyy-MM-dd}-{Month.AddDays(6):yyyy-MM-dd}.csv", download.SuggestedFilename);
            Assert.Equal(
                $"period,grain,gender,count\r\n{third:yyyy-MM-dd},day,F,5\r\n{fourth:yyyy-MM-dd},day,F,4\r\n",
                await File.ReadAllTextAsync((await download.PathAsync())!));

            // Sign out: back to the sign-in screen, the cookies gone.
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Analytics sign-in" })).ToBeVisibleAsync();
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name is "ndhm_analytics" or "ndhm_analytics_csrf");
            checks.AssertNoProblems();
        }
    }

    private static AnalyticsFact Fact(string state, DateOnly day, string gender, string facility) =>
        new(Guid.NewGuid().ToString("N"), "dispensings", day, new Dictionary<string, string?>
        {
            ["state"] = state, ["district"] = "411", ["facilityType"] = "pharmacy", ["ageBand"] = "30-44", ["gender"] = gender,
            ["drugClass"] = "J01", ["drugList"] = "H",
        }, facility);

    private static async Task SeedAsync(IEnumerable<AnalyticsFact> facts)
    {
        var sink = new CosmosAnalyticsFacts(SandboxCosmos.Client, SandboxCosmos.Settings);
        foreach (var fact in facts) await sink.RecordAsync(fact, CancellationToken.None);
    }

    private async Task WaitForTotalAsync(string token, string query, long total)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/analytics/aggregates?" + query);
            request.Headers.Authorization = new("Bearer", token);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            if (JsonDocument.Parse(body).RootElement.GetProperty("total").GetInt64() == total) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"The aggregates never reached {total}: {body}");
            await Task.Delay(1000);
        }
    }

    private async Task<HttpResponseMessage> PostAsync(string path, object json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(json) };
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string cookies)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        if (method == HttpMethod.Post) request.Content = JsonContent.Create(new { });
        return await client.SendAsync(request);
    }
}
