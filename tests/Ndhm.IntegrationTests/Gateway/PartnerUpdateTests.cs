using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

[Collection(SharedGatewayHost.Name)]
public sealed class PartnerUpdateTests(GatewayHostFixture gateway)
{
    [Fact]
    public async Task GivenTheCurrentETag_WhenAnAdminPatchesNameAndRoles_ThenTheyChangeAndTheRestStays()
    {
        var (clientId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var (read, etag) = await GetAsync(clientId);

        using var response = await PatchAsync(clientId, new { name = "Renamed Lab", roles = new[] { Roles.Hiu, Roles.Analytics } }, etag);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.NotEqual(etag, response.Headers.ETag!.ToString());
        var (after, afterETag) = await GetAsync(clientId);
        Assert.Equal("Renamed Lab", after.GetProperty("name").GetString());
        Assert.Equal<string>([Roles.Hiu, Roles.Analytics], after.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToList());
        Assert.Equal(read.GetProperty("bridgeUrl").GetString(), after.GetProperty("bridgeUrl").GetString());
        Assert.Equal(response.Headers.ETag!.ToString(), afterETag);
    }

    [Fact]
    public async Task GivenAStaleETag_WhenPatched_Then412AndNothingChanges()
    {
        var (clientId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var (_, etag) = await GetAsync(clientId);
        using (var first = await PatchAsync(clientId, new { name = "First" }, etag))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var second = await PatchAsync(clientId, new { name = "Second" }, etag);

        await Problems.AssertProblemAsync(second, HttpStatusCode.PreconditionFailed, "CONCURRENT_UPDATE");
        Assert.Equal("First", (await GetAsync(clientId)).Body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GivenInvalidValues_WhenPatched_ThenTheRegistrationCodesAndNothingChanges()
    {
        var (clientId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);

        using var bridge = await PatchAsync(clientId, new { bridgeUrl = "http://example.org/bridge" });
        using var roles = await PatchAsync(clientId, new { roles = new[] { Roles.PlatformAdmin } });
        using var facilities = await PatchAsync(clientId, new { facilities = new[] { "IN99" } });

        await Problems.AssertProblemAsync(bridge, HttpStatusCode.BadRequest, "INVALID_BRIDGE_URL");
        await Problems.AssertProblemAsync(roles, HttpStatusCode.BadRequest, "INVALID_PARTNER_ROLES");
        await Problems.AssertProblemAsync(facilities, HttpStatusCode.BadRequest, "INVALID_FACILITY_ID");
        Assert.Equal("http://localhost:9/bridge", (await GetAsync(clientId)).Body.GetProperty("bridgeUrl").GetString());
    }

    [Fact]
    public async Task GivenAPartnerServingAnUnverifiedFacility_WhenMadeAHip_Then409AndItIsNotAHip()
    {
        var (unverified, _) = await gateway.RegisterFacilityAsync(hipSubject: "hip-" + Guid.NewGuid().ToString("N")[..8]);
        var (clientId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Hiu], [unverified]);

        using var response = await PatchAsync(clientId, new { roles = new[] { Roles.Hiu, Roles.Hip } });

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "FACILITY_NOT_VERIFIED");
        Assert.Equal<string>([Roles.Hiu], (await GetAsync(clientId)).Body.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToList());
    }

    /// <remarks>
    /// Every test host consumes the one callback queue, so another host may deliver and hold its own 30-second cache
    /// of the partner; the immediate forgetting on the changing instance is unit-tested (CachedPartnerDirectoryTests).
    /// </remarks>
    [Fact]
    public async Task GivenANewBridgeUrl_WhenPatched_ThenCallbacksGoThere()
    {
        await using var oldBridge = await WebhookReceiver.StartAsync(_ => 202);
        await using var newBridge = await WebhookReceiver.StartAsync(_ => 202);
        var (clientId, secret) = await gateway.RegisterPartnerAsync(oldBridge.BaseUrl, Roles.Hiu);
        var token = await gateway.SessionTokenAsync(clientId, secret);

        using (var patched = await PatchAsync(clientId, new { bridgeUrl = newBridge.BaseUrl }))
        {
            Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        }

        await HeartbeatAsync(token);
        await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));

        Assert.Single(newBridge.Requests);
        Assert.Empty(oldBridge.Requests);
    }

    [Fact]
    public async Task GivenAPartnerToken_WhenItPatchesAPartner_ThenForbidden_AndAnUnknownPartnerIs404ForAnAdmin()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        using var request = GatewayHostFixture.Request(HttpMethod.Patch, $"api/v1/partners/{clientId}", await gateway.SessionTokenAsync(clientId, secret),
            new { name = "Self-service" });
        using var forbidden = await gateway.Client.SendAsync(request);
        using var unknown = await PatchAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], new { name = "x" });

        await Problems.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "FORBIDDEN");
        await Problems.AssertProblemAsync(unknown, HttpStatusCode.NotFound, "PARTNER_NOT_FOUND");
    }

    private async Task<(JsonElement Body, string ETag)> GetAsync(string clientId)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Get, $"api/v1/partners/{clientId}", await gateway.AdminTokenAsync());
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return (JsonDocument.Parse(body).RootElement.Clone(), response.Headers.ETag!.ToString());
    }

    private async Task<HttpResponseMessage> PatchAsync(string clientId, object body, string? ifMatch = null)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Patch, $"api/v1/partners/{clientId}", await gateway.AdminTokenAsync(), body);
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }

        return await gateway.Client.SendAsync(request);
    }

    private async Task HeartbeatAsync(string token)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "bridge" },
            Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
