using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// One local functions host with the default test settings, against the sandbox's emulators, plus tokens for any
/// role from the sandbox-only token endpoint. Shared by the classes of <see cref="SharedSandboxHost"/>.
/// </summary>
public sealed class SandboxHostFixture : IAsyncLifetime
{
    private LocalHostProcess? host;

    public LocalHostProcess Host => host ?? throw new InvalidOperationException("not started");

    public HttpClient Client => Host.Client;

    public async Task InitializeAsync() => host = await LocalHostProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    public Task<string> TokenAsync(params string[] roles) => TokenForAsync(Client, "test-" + Guid.NewGuid().ToString("N")[..8], roles);

    public static async Task<string> TokenForAsync(HttpClient client, string subject, params string[] roles)
    {
        using var response = await client.PostAsJsonAsync("api/sandbox/tokens", new { subject, roles });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"sandbox token: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!;
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? token = null, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }
}

/// <summary>
/// The classes that need only a default host share one (a host start costs several CPU seconds, and the suite is
/// CPU-bound); they run one after another. Safe because they keep nothing in the host: every test makes its own
/// partners, facilities, patients and tokens, the run's data is shared by all hosts anyway, rate limits are raised
/// out of the way, and none of them restarts or kills the host or reads its log.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedSandboxHost : ICollectionFixture<SandboxHostFixture>
{
    public const string Name = "shared sandbox host";
}
