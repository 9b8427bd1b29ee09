using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.WebApp;

/// <summary>
/// The web app over plain HTTP: how the page and its assets are served (compressed, content-versioned, immutable, strict
/// CSP) and how the session cookie is accepted by the gate (patient routes only, a patient token only, CSRF-checked).
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed partial class WebAppHttpTests(SharedHealthIdHostFixture sandbox)
{
    private readonly HttpClient client = new(new HttpClientHandler { UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
    {
        BaseAddress = sandbox.Client.BaseAddress,
    };

    [Fact]
    public async Task GivenTheWebApp_WhenThePageAndAnAssetAreFetched_ThenTheyAreCompressed_Versioned_CachedRight_AndUnderAStrictCsp()
    {
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "api/app");
        pageRequest.Headers.AcceptEncoding.ParseAdd("gzip, br");
        using var page = await client.SendAsync(pageRequest);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("br", Assert.Single(page.Content.Headers.ContentEncoding));
        Assert.True(page.Headers.CacheControl!.NoCache);
        var csp = string.Join(",", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);

        using var plainPage = await client.GetAsync("api/app");
        var html = await plainPage.Content.ReadAsStringAsync();
        Assert.Empty(plainPage.Content.Headers.ContentEncoding);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)", html); // no inline script
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        var script = AppScript().Match(html);
        Assert.True(script.Success, html);
        var version = script.Groups["version"].Value;

        using var assetRequest = new HttpRequestMessage(HttpMethod.Get, $"api/app/assets/{version}/app.js");
        assetRequest.Headers.AcceptEncoding.ParseAdd("gzip");
        using var asset = await client.SendAsync(assetRequest);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal("gzip", Assert.Single(asset.Content.Headers.ContentEncoding));
        Assert.StartsWith("text/javascript", asset.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Equal("public, max-age=31536000, immutable", asset.Headers.CacheControl!.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, $"api/app/assets/{version}/app.js");
        again.Headers.IfNoneMatch.Add(asset.Headers.ETag!);
        using var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var stale = await client.GetAsync("api/app/assets/0000000000000000/app.js");
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType!.MediaType);
        using var hindi = await client.GetAsync($"api/app/assets/{version}/i18n/hi.json");
        Assert.Equal("हिन्दी", JsonDocument.Parse(await hindi.Content.ReadAsStringAsync()).RootElement.GetProperty("_language").GetString());
    }

    [Fact]
    public async Task GivenAWebSession_WhenItCallsTheApi_ThenPatientRoutesAcceptItsCookie_UnsafeOnesOnlyWithTheCsrfHeader_AndNothingElse()
    {
        var identity = sandbox.NextIdentity();
        var txnId = await HealthIdApi.RequestOtpAsync(client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await HealthIdApi.ReadOtpAsync(client, identity.Mobile, txnId);
        using var enrolled = await HealthIdApi.PostAsync(client, "app/session/enrol", new { authData = HealthIdApi.OtpAuth(txnId, otp), consent = HealthIdApi.Consent });
        var body = await enrolled.Content.ReadAsStringAsync();
        Assert.True(enrolled.StatusCode == HttpStatusCode.OK, body);
        Assert.DoesNotContain("\"token", body, StringComparison.Ordinal);
        var setCookies = enrolled.Headers.GetValues("Set-Cookie").ToList();
        var session = Assert.Single(setCookies, c => c.StartsWith("ndhm_session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", Assert.Single(setCookies, c => c.StartsWith("ndhm_refresh=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("httponly", Assert.Single(setCookies, c => c.StartsWith("ndhm_csrf=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        var cookies = string.Join("; ", setCookies.Select(c => c.Split(';')[0]));
        var csrf = JsonDocument.Parse(body).RootElement.GetProperty("csrfToken").GetString()!;
        Assert.Contains("ndhm_csrf=" + csrf, cookies, StringComparison.Ordinal);

        // A patient route reads with the cookie alone.
        using (var profile = await SendAsync(HttpMethod.Get, "api/v3/profile/account", cookies))
        {
            Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        }

        // An unsafe request without (or with a wrong) CSRF header is refused and changes nothing.
        var address = new { abhaAddress = "web" + identity.LastName.ToLowerInvariant()[^6..] + "x", preferred = true };
        foreach (var header in new string?[] { null, "forged" + csrf })
        {
            using var refused = await SendAsync(HttpMethod.Post, "api/v3/enrollment/enrol/abha-address", cookies, address, header);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("CSRF_TOKEN_INVALID", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unchanged = await SendAsync(HttpMethod.Get, "api/v3/profile/account", cookies))
        {
            Assert.Empty(JsonDocument.Parse(await unchanged.Content.ReadAsStringAsync()).RootElement.GetProperty("phrAddress").EnumerateArray());
        }

        using (var accepted = await SendAsync(HttpMethod.Post, "api/v3/enrollment/enrol/abha-address", cookies, address, csrf))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        // Not on a route no patient may call, and never for a token that is not a patient's.
        using (var adminRoute = await SendAsync(HttpMethod.Get, "api/v1/partners", cookies))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, adminRoute.StatusCode);
        }

        var admin = await SandboxHostFixture.TokenForAsync(client, "ops-web", "PLATFORM_ADMIN", "PATIENT");
        using (var notPatient = await SendAsync(HttpMethod.Get, "api/v3/profile/account", $"ndhm_session={admin}"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, notPatient.StatusCode);
        }

        // Sign-out clears all three cookies.
        using var signedOut = await SendAsync(HttpMethod.Post, "api/app/session/logout", cookies, new { });
        var cleared = signedOut.Headers.GetValues("Set-Cookie").ToList();
        Assert.All(["ndhm_session=;", "ndhm_refresh=;", "ndhm_csrf=;"], name =>
            Assert.Contains(cleared, c => c.StartsWith(name, StringComparison.Ordinal) && c.Contains("1970", StringComparison.Ordinal)));
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string cookies, object? json = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", cookies);
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        if (json is not null) request.Content = JsonContent.Create(json);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("src=\"/api/app/assets/(?<version>[0-9a-f]{16})/app\\.js\"")]
    private static partial Regex AppScript();
}
