using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

[Collection(SharedGatewayHost.Name)]
public sealed class PartnerSessionTests(GatewayHostFixture gateway)
{
    [Fact]
    public async Task GivenARegisteredHip_WhenItOpensASession_ThenTheTokenWorksOnAHipEndpoint()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hip);

        using var session = await gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });
        var body = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
        Assert.Equal("bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(1200, body.GetProperty("expiresIn").GetInt32());
        var token = body.GetProperty("accessToken").GetString()!;

        using var deliveries = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", token);
        using var response = await gateway.Client.SendAsync(deliveries);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task GivenAPartnerSession_WhenItCallsAnAdminEndpoint_ThenItIsForbidden()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);

        using var request = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/partners", token);
        using var response = await gateway.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task GivenAWrongSecretUnknownClientOrInactivePartner_WhenOpeningASession_ThenAll401WithTheSameCode()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var (inactiveId, inactiveSecret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        using (var deactivate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{inactiveId}/deactivate", await gateway.AdminTokenAsync()))
        using (var deactivated = await gateway.Client.SendAsync(deactivate))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        foreach (var (id, s) in new[] { (clientId, secret + "x"), ("nobody-" + Guid.NewGuid().ToString("N")[..8], secret), (inactiveId, inactiveSecret) })
        {
            using var response = await gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId = id, clientSecret = s, grantType = "client_credentials" });
            await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
        }
    }

    [Fact]
    public async Task GivenARotatedSecret_WhenTheOldSecretIsUsed_ThenItIsRefusedAndTheNewOneWorks()
    {
        var (clientId, oldSecret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Pharmacy);
        using var rotate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{clientId}/secret", await gateway.AdminTokenAsync());
        using var rotated = await gateway.Client.SendAsync(rotate);
        var newSecret = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement.GetProperty("clientSecret").GetString()!;

        using var old = await gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = oldSecret, grantType = "client_credentials" });
        await Problems.AssertProblemAsync(old, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
        Assert.False(string.IsNullOrEmpty(await gateway.SessionTokenAsync(clientId, newSecret)));
    }

    [Fact]
    public async Task GivenIssuedAccessTokens_WhenThePartnerIsDeactivated_ThenTheyAreRefusedAtOnceAndOtherTokensForTheSameNameAreNot()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        using var opened = await gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });
        var session = JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement;
        using var refreshed = await gateway.Client.PostAsJsonAsync("api/v1/sessions",
            new { clientId, grantType = "refresh_token", refreshToken = session.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var partnerTokens = new[]
        {
            session.GetProperty("accessToken").GetString()!,
            JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!,
        };
        // A sandbox token naming the partner as subject has no client_id: it is not a partner session.
        var sandboxToken = await SandboxHostFixture.TokenForAsync(gateway.Client, clientId, Roles.Hiu);
        foreach (var token in partnerTokens.Append(sandboxToken))
        {
            Assert.Equal(HttpStatusCode.OK, await DeliveriesStatusAsync(token));
        }

        using (var deactivate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{clientId}/deactivate", await gateway.AdminTokenAsync()))
        using (var deactivated = await gateway.Client.SendAsync(deactivate))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        foreach (var token in partnerTokens)
        {
            using var request = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", token);
            using var response = await gateway.Client.SendAsync(request);
            await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "PARTNER_INACTIVE");
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, await DeliveriesStatusAsync(sandboxToken));
    }

    [Fact]
    public async Task GivenAnAccessToken_WhenThePartnersSecretIsRotated_ThenItKeepsWorkingUntilItExpires()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        using (var rotate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{clientId}/secret", await gateway.AdminTokenAsync()))
        using (var rotated = await gateway.Client.SendAsync(rotate))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await DeliveriesStatusAsync(token));
    }

    [Fact]
    public async Task GivenARegistration_WhenTheBridgeIsPlainHttpOnAnotherHost_ThenItIsRefused()
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/partners", await gateway.AdminTokenAsync(),
            new { clientId = "it-" + Guid.NewGuid().ToString("N")[..10], name = "x", roles = new[] { Roles.Hip }, bridgeUrl = "http://example.org/bridge" });
        using var response = await gateway.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_BRIDGE_URL");
    }

    [Fact]
    public async Task GivenAPartner_WhenAnAdminGetsIt_ThenTheSecretIsNotShown()
    {
        var (facility, _) = await gateway.RegisterFacilityAsync();
        var (clientId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Hip, Roles.Hiu], [facility]);
        using var request = GatewayHostFixture.Request(HttpMethod.Get, $"api/v1/partners/{clientId}", await gateway.AdminTokenAsync());
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(facility, body);
    }

    private async Task<HttpStatusCode> DeliveriesStatusAsync(string token)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", token);
        using var response = await gateway.Client.SendAsync(request);
        return response.StatusCode;
    }
}
