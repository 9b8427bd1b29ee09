using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>Refresh tokens of partner sessions: rotated on every use, reuse revokes the family, secrets and deactivation end them.</summary>
[Collection(SharedGatewayHost.Name)]
public sealed class PartnerRefreshTokenTests(GatewayHostFixture gateway)
{
    [Fact]
    public async Task GivenASession_WhenItsRefreshTokenIsUsed_ThenANewAccessTokenWorksAndANewRefreshTokenReplacesIt()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var session = await OpenAsync(clientId, secret);
        Assert.Equal(24 * 3600, session.GetProperty("refreshExpiresIn").GetInt32());

        using var refreshed = await RefreshAsync(clientId, Refresh(session));

        var body = JsonDocument.Parse(await refreshed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.Equal("no-store", refreshed.Headers.CacheControl?.ToString());
        Assert.NotEqual(Refresh(session), Refresh(body));
        Assert.Equal(1200, body.GetProperty("expiresIn").GetInt32());
        using var deliveries = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", body.GetProperty("accessToken").GetString());
        using var allowed = await gateway.Client.SendAsync(deliveries);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        using var again = await RefreshAsync(clientId, Refresh(body));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task GivenARotatedRefreshToken_WhenUsedAgain_ThenItIsRefusedAndTheWholeFamilyIsRevoked()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var first = Refresh(await OpenAsync(clientId, secret));
        using var rotation = await RefreshAsync(clientId, first);
        var second = Refresh(JsonDocument.Parse(await rotation.Content.ReadAsStringAsync()).RootElement);

        using var reuse = await RefreshAsync(clientId, first);
        using var successor = await RefreshAsync(clientId, second);

        await Problems.AssertProblemAsync(reuse, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
        await Problems.AssertProblemAsync(successor, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
        Assert.False(string.IsNullOrEmpty(Refresh(await OpenAsync(clientId, secret))));
    }

    [Fact]
    public async Task GivenARotatedSecretOrADeactivation_WhenAnEarlierRefreshTokenIsUsed_ThenItIsRefused()
    {
        var admin = await gateway.AdminTokenAsync();
        var (rotatedId, rotatedSecret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var (deactivatedId, deactivatedSecret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var beforeRotation = Refresh(await OpenAsync(rotatedId, rotatedSecret));
        var beforeDeactivation = Refresh(await OpenAsync(deactivatedId, deactivatedSecret));
        using (var rotate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{rotatedId}/secret", admin))
        using (var rotated = await gateway.Client.SendAsync(rotate))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        }

        using (var deactivate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{deactivatedId}/deactivate", admin))
        using (var deactivated = await gateway.Client.SendAsync(deactivate))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        using var afterRotation = await RefreshAsync(rotatedId, beforeRotation);
        using var afterDeactivation = await RefreshAsync(deactivatedId, beforeDeactivation);

        await Problems.AssertProblemAsync(afterRotation, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
        await Problems.AssertProblemAsync(afterDeactivation, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
    }

    [Fact]
    public async Task GivenAnUnknownOrMalformedRefreshTokenOrAnotherClientsToken_WhenUsed_ThenTheSameErrorAsWrongCredentials()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var (otherId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var real = Refresh(await OpenAsync(clientId, secret));
        using var wrongSecret = await gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret + "x", grantType = "client_credentials" });
        var expected = await Problems.AssertProblemAsync(wrongSecret, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");

        var unknownFamily = "AAAAAAAAAAAAAAAAAAAAAA." + real.Split('.')[1];
        var forgedSecret = real.Split('.')[0] + "." + new string('A', 43);
        foreach (var (id, token) in new[] { (clientId, unknownFamily), (clientId, forgedSecret), (clientId, "not-a-token"), (otherId, real) })
        {
            using var response = await RefreshAsync(id, token);
            var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
            Assert.Equal(expected.GetProperty("title").GetString(), problem.GetProperty("title").GetString());
            Assert.Equal(expected.GetProperty("detail").GetString(), problem.GetProperty("detail").GetString());
        }

        using var stillValid = await RefreshAsync(clientId, real);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);
    }

    [Fact]
    public async Task GivenAWrongSecretBesideAValidRefreshToken_WhenRefreshing_ThenRefused()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var token = Refresh(await OpenAsync(clientId, secret));

        using var wrong = await gateway.Client.PostAsJsonAsync("api/v1/sessions",
            new { clientId, clientSecret = secret + "x", grantType = "refresh_token", refreshToken = token });
        using var right = await gateway.Client.PostAsJsonAsync("api/v1/sessions",
            new { clientId, clientSecret = secret, grantType = "refresh_token", refreshToken = token });

        await Problems.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "INVALID_CLIENT_CREDENTIALS");
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    private async Task<JsonElement> OpenAsync(string clientId, string secret)
    {
        using var response = await gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private Task<HttpResponseMessage> RefreshAsync(string clientId, string refreshToken) =>
        gateway.Client.PostAsJsonAsync("api/v1/sessions", new { clientId, grantType = "refresh_token", refreshToken });

    private static string Refresh(JsonElement session) => session.GetProperty("refreshToken").GetString()!;
}
