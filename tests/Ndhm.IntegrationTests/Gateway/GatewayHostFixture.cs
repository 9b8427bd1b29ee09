using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>
/// The real local host with short callback backoff (200 ms doubling to 1 s, 4 attempts) and cheap secret
/// hashing, so retry and dead-letter paths finish in seconds.
/// </summary>
public sealed class GatewayHostFixture : IAsyncLifetime
{
    public const int MaxAttempts = 4;
    private LocalHostProcess? host;

    public LocalHostProcess Host => host ?? throw new InvalidOperationException("not started");

    /// <summary>The same helpers over a host someone else started (and disposes).</summary>
    public static GatewayHostFixture Over(LocalHostProcess running) => new() { host = running };

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync() => host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
    {
        ["Gateway__CallbackMaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
        ["Gateway__CallbackInitialDelayMs"] = "200",
        ["Gateway__CallbackMaxDelayMs"] = "1000",
        ["Gateway__CallbackTimeoutSeconds"] = "3",
        ["Gateway__SecretHashIterations"] = "1000",
    });

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    public Task<string> AdminTokenAsync() => SandboxHostFixture.TokenForAsync(Client, "admin-" + Guid.NewGuid().ToString("N")[..8], Roles.PlatformAdmin);

    /// <summary>Registers a partner with a unique client id and no facilities; returns (clientId, clientSecret).</summary>
    public Task<(string ClientId, string Secret)> RegisterPartnerAsync(string bridgeUrl, params string[] roles) =>
        RegisterPartnerAsync(bridgeUrl, roles, []);

    public async Task<(string ClientId, string Secret)> RegisterPartnerAsync(string bridgeUrl, string[] roles, string[] facilities)
    {
        var clientId = "it-" + Guid.NewGuid().ToString("N")[..12];
        using var response = await SendRegistrationAsync(new { clientId, name = "Test partner", roles, bridgeUrl, facilities });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, body);
        return (clientId, JsonDocument.Parse(body).RootElement.GetProperty("clientSecret").GetString()!);
    }

    public async Task<HttpResponseMessage> SendRegistrationAsync(object body)
    {
        using var request = Request(HttpMethod.Post, "api/v1/partners", await AdminTokenAsync(), body);
        return await Client.SendAsync(request);
    }

    /// <summary>
    /// Registers a facility in the registry and returns its id and ETag. A platform admin's registration is verified
    /// at once; a HIP's (token subject <paramref name="hipSubject"/>) awaits verification.
    /// </summary>
    public async Task<(string FacilityId, string ETag)> RegisterFacilityAsync(string? hipSubject = null, string name = "Gateway Test Hospital")
    {
        var token = hipSubject is null ? await AdminTokenAsync() : await SandboxHostFixture.TokenForAsync(Client, hipSubject, Roles.Hip);
        using var request = Request(HttpMethod.Post, "api/v1/facilities", token, Registry.RegistryApi.Facility(name, Registry.RegistryApi.UniqueDistrict()));
        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 201, body);
        return (JsonDocument.Parse(body).RootElement.GetProperty("facilityId").GetString()!, response.Headers.ETag!.ToString());
    }

    public async Task<string> SessionTokenAsync(string clientId, string secret)
    {
        using var response = await Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, object? json = null, string? requestId = null,
        DateTimeOffset? timestamp = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        if (json is not null) request.Content = JsonContent.Create(json);
        if (requestId is not null) request.Headers.TryAddWithoutValidation("REQUEST-ID", requestId);
        if (timestamp is { } at) request.Headers.TryAddWithoutValidation("TIMESTAMP", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>Polls a partner's delivery until it leaves the pending state (bounded).</summary>
    public async Task<JsonElement> WaitForDeliveryAsync(string token, Func<JsonElement, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var request = Request(HttpMethod.Get, "api/v1/deliveries", token);
            using var response = await Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var deliveries = JsonDocument.Parse(body).RootElement.GetProperty("deliveries");
            if (deliveries.GetArrayLength() > 0)
            {
                last = deliveries[0].Clone();
                if (done(last)) return last;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"delivery not finished within {within}: {last}");
    }
}

/// <summary>
/// The gateway classes share one host with the gateway test settings and run one after another (see
/// <see cref="SharedSandboxHost"/> for why). Every test registers its own partners with unique client ids, and each
/// reads only its own partners' deliveries, sessions, queues and callbacks.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedGatewayHost : ICollectionFixture<GatewayHostFixture>
{
    public const string Name = "shared gateway host";
}
