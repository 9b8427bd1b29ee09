using System.Net;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

[Collection(SharedGatewayHost.Name)]
public sealed class CallbackDeliveryTests(GatewayHostFixture gateway)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private async Task<(string Token, string RequestId)> HeartbeatAsync(WebhookReceiver receiver, string role = Roles.Hip)
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync(receiver.BaseUrl, role);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        var requestId = Guid.NewGuid().ToString();
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "ping" }, requestId, DateTimeOffset.UtcNow);
        using var response = await gateway.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return (token, requestId);
    }

    [Fact]
    public async Task GivenABridgeFailingThreeTimesWith503_WhenACallbackIsSent_ThenExactlyOneSuccessAndFourAttemptsRecorded()
    {
        await using var receiver = await WebhookReceiver.StartAsync(n => n <= 3 ? 503 : 200);
        var (token, requestId) = await HeartbeatAsync(receiver);

        var delivery = await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() != "pending", Within);

        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([503, 503, 503, 200], attempts.Select(a => a.GetProperty("responseCode").GetInt32()));
        Assert.All(attempts, a => Assert.True(a.GetProperty("latencyMs").GetInt64() >= 0));
        Assert.Single(receiver.Requests, r => r.Status == 200);
        var success = receiver.Requests.Single(r => r.Status == 200);
        Assert.Equal("/v1/gateway/on-heartbeat", success.Path);
        Assert.Equal(requestId, success.Body.GetProperty("response").GetProperty("requestId").GetString());
        Assert.True(Guid.TryParse(success.Headers["REQUEST-ID"], out _));
        Assert.Equal("sbx", success.Headers["X-CM-ID"]);
        Assert.StartsWith("Bearer ", success.Headers["Authorization"]);
        Assert.True(success.Headers.ContainsKey("X-HIP-ID"));
        Assert.True(DateTimeOffset.TryParse(success.Headers["TIMESTAMP"], out _));
        // Quiet period: a redelivered message must not produce a second success.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(4, receiver.Requests.Count);
    }

    [Fact]
    public async Task GivenABridgeThatNeverSucceeds_WhenAttemptsRunOut_ThenDeadLetteredAndReplayable()
    {
        var healthy = false;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Volatile.Read(ref healthy) ? 200 : 500);
        var (token, _) = await HeartbeatAsync(receiver, Roles.Hiu);

        var dead = await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() != "pending", Within);
        Assert.Equal("deadLettered", dead.GetProperty("status").GetString());
        Assert.Equal(GatewayHostFixture.MaxAttempts, dead.GetProperty("attempts").GetArrayLength());
        var id = dead.GetProperty("id").GetString()!;
        using (var listDead = GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries?status=deadLettered", token))
        using (var listed = await gateway.Client.SendAsync(listDead))
        {
            Assert.Contains(id, await listed.Content.ReadAsStringAsync());
        }

        Volatile.Write(ref healthy, true);
        using (var replay = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/deliveries/{id}/replay", token))
        using (var replayed = await gateway.Client.SendAsync(replay))
        {
            Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        }

        var delivered = await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", Within);
        Assert.Equal(GatewayHostFixture.MaxAttempts + 1, delivered.GetProperty("attempts").GetArrayLength());
        Assert.True(receiver.Requests.Last().Headers.ContainsKey("X-HIU-ID"));
    }

    [Fact]
    public async Task GivenABridgeAnswering400_WhenACallbackIsSent_ThenItIsNotRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 400);
        var (token, _) = await HeartbeatAsync(receiver);

        var delivery = await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() != "pending", Within);

        Assert.Equal("deadLettered", delivery.GetProperty("status").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetArrayLength());
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task GivenAnotherPartnersDelivery_WhenRequested_ThenNotFound()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var (token, _) = await HeartbeatAsync(receiver);
        var delivery = await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", Within);
        var (otherId, otherSecret) = await gateway.RegisterPartnerAsync(receiver.BaseUrl, Roles.Hip);
        var other = await gateway.SessionTokenAsync(otherId, otherSecret);

        using var request = GatewayHostFixture.Request(HttpMethod.Get, $"api/v1/deliveries/{delivery.GetProperty("id").GetString()}", other);
        using var response = await gateway.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "DELIVERY_NOT_FOUND");
    }
}
