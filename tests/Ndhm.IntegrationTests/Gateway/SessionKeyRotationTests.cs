using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>
/// Uses its own Key Vault endpoint and host (not the shared sandbox vault), so creating a key version here does
/// not rotate every engineer's signing key.
/// </summary>
public sealed class SessionKeyRotationTests
{
    [Fact]
    public async Task GivenASessionTokenSignedBeforeAKeyRotation_WhenUsedAfterIt_ThenItStillValidates()
    {
        await using var vault = await LocalKeyVaultProcess.StartAsync();
        await using var host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
        {
            ["KeyVault__Uri"] = vault.BaseUri.ToString(),
            ["KeyVault__KeyCacheSeconds"] = "1",
            ["Gateway__SecretHashIterations"] = "1000",
        });
        var admin = await SandboxHostFixture.TokenForAsync(host.Client, "admin-rot", Roles.PlatformAdmin);
        var clientId = "rot-" + Guid.NewGuid().ToString("N")[..10];
        using var register = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/partners", admin,
            new { clientId, name = "rotation", roles = new[] { Roles.Hip }, bridgeUrl = "http://localhost:9/b" });
        using var registered = await host.Client.SendAsync(register);
        var secret = JsonDocument.Parse(await registered.Content.ReadAsStringAsync()).RootElement.GetProperty("clientSecret").GetString()!;
        var before = await SessionAsync(host.Client, clientId, secret);

        using (var create = new HttpRequestMessage(HttpMethod.Post, new Uri(vault.BaseUri, "keys/ndhm-signing/create?api-version=7.5")))
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", LocalKeyVaultProcess.Token);
            create.Content = JsonContent.Create(new { kty = "EC", crv = "P-256" });
            using var http = new HttpClient();
            using var created = await http.SendAsync(create);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        string after = before;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Kid(after) == Kid(before) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            after = await SessionAsync(host.Client, clientId, secret);
        }

        Assert.NotEqual(Kid(before), Kid(after));
        foreach (var token in new[] { before, after })
        {
            using var request = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries", token);
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static async Task<string> SessionAsync(HttpClient client, string clientId, string secret)
    {
        using var response = await client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    private static string Kid(string jwt) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;
}
