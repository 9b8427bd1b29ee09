using System.Net;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>Its own host, because it kills it.</summary>
public sealed class CallbackRestartTests
{
    [Fact]
    public async Task GivenAHostKilledMidRetry_WhenItRestarts_ThenTheCallbackIsStillDeliveredExactlyOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 1 ? 503 : 200);
        await using var host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway__CallbackMaxAttempts"] = "5",
            // The retry is due 4 to 8 s after the first attempt (equal jitter) and the listener polls every 100 ms, so it
            // comes on time: the margin lets a loaded machine see the first attempt recorded before the second is made.
            ["Gateway__CallbackInitialDelayMs"] = "8000",
            ["Gateway__CallbackMaxDelayMs"] = "8000",
            ["Gateway__SecretHashIterations"] = "1000",
        });
        var gateway = new HostView(host);
        var (clientId, secret) = await gateway.RegisterAsync(receiver.BaseUrl);
        var token = await gateway.SessionAsync(clientId, secret);
        using (var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "restart" },
                   Guid.NewGuid().ToString(), DateTimeOffset.UtcNow))
        using (var response = await host.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        // Wait for the first attempt to be recorded, not merely received: a kill between the two is the other
        // crash window (the attempt is repeated once RequeueOverdueDeliveries finds it, minutes later).
        await gateway.Fixture.WaitForDeliveryAsync(token, d => d.GetProperty("attempts").GetArrayLength() >= 1, TimeSpan.FromSeconds(30));
        Assert.Single(receiver.Requests);
        await host.RestartAsync(); // killed while the second attempt waits in the queue (4-8 s backoff)

        var delivered = await gateway.Fixture.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() != "pending", TimeSpan.FromSeconds(60));
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Single(receiver.Requests, r => r.Status == 200);
    }

    /// <summary>The fixture's helpers over a host this test owns.</summary>
    private sealed class HostView(LocalHostProcess host)
    {
        public GatewayHostFixture Fixture { get; } = GatewayHostFixture.Over(host);

        public Task<(string ClientId, string Secret)> RegisterAsync(string bridge) => Fixture.RegisterPartnerAsync(bridge, Roles.Hip);

        public Task<string> SessionAsync(string id, string secret) => Fixture.SessionTokenAsync(id, secret);
    }
}
