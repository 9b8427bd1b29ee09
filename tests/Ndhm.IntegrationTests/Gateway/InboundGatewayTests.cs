using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.Core.Security;
using Ndhm.Gateway.Inbound;
using Ndhm.Infrastructure.Gateway;
using Ndhm.IntegrationTests.Support;
using Ndhm.Triggers.Gateway;

namespace Ndhm.IntegrationTests.Gateway;

[Collection(SharedGatewayHost.Name)]
public sealed class InboundGatewayTests(GatewayHostFixture gateway)
{
    [Fact]
    public async Task GivenTheSameRequestIdTwice_WhenSent_ThenSameAnswerAndOnlyOneCallback()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 202);
        var (clientId, secret) = await gateway.RegisterPartnerAsync(receiver.BaseUrl, Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        var requestId = Guid.NewGuid().ToString();

        var bodies = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "once" }, requestId, DateTimeOffset.UtcNow);
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(bodies[0], bodies[1]);
        await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task GivenARequestAcceptedWhoseWorkNeverRan_WhenRepeated_ThenTheWorkRunsOnceWithTheFirstAnswer()
    {
        // Arrange: the record a host writes when it accepts a heartbeat, left incomplete as if it died right after.
        await using var receiver = await WebhookReceiver.StartAsync(_ => 202);
        var (clientId, secret) = await gateway.RegisterPartnerAsync(receiver.BaseUrl, Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        var requestId = Guid.NewGuid().ToString();
        var fingerprint = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatRequest("resumed"), NdhmJson.Options)));
        var firstAnswer = $"{{\"requestId\":\"{requestId}\",\"status\":\"ACCEPTED\"}}";
        Assert.Null(await RequestLog().TryAddAsync(
            new RequestRecord(clientId, requestId, nameof(Heartbeat), fingerprint, 202, firstAnswer, DateTimeOffset.UtcNow, Completed: false),
            CancellationToken.None));

        // Act: the partner retries, twice.
        var bodies = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "resumed" }, requestId, DateTimeOffset.UtcNow);
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        // Assert: the first answer both times, and exactly one callback.
        Assert.All(bodies, b => Assert.Equal(firstAnswer, b));
        await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(receiver.Requests);
    }

    private static CosmosRequestLog RequestLog() => new(SandboxCosmos.Client, SandboxCosmos.Settings);

    [Fact]
    public async Task GivenARequestIdReusedForADifferentBody_WhenSent_ThenConflict()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        var requestId = Guid.NewGuid().ToString();
        using (var first = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "a" }, requestId, DateTimeOffset.UtcNow))
        using (var accepted = await gateway.Client.SendAsync(first))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var second = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "b" }, requestId, DateTimeOffset.UtcNow);
        using var response = await gateway.Client.SendAsync(second);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Conflict, "REQUEST_ID_REUSED");
    }

    [Theory]
    [InlineData(-10 * 60, "STALE_TIMESTAMP")]
    [InlineData(10 * 60, "FUTURE_TIMESTAMP")]
    public async Task GivenATimestampOutsideTheWindow_WhenSent_Then400WithAPreciseCode(int offsetSeconds, string code)
    {
        var token = await SandboxHostFixture.TokenForAsync(gateway.Client, "hip-" + Guid.NewGuid().ToString("N")[..8], Roles.Hip);
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "x" },
            Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddSeconds(offsetSeconds));
        using var response = await gateway.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task GivenNoOrABadRequestId_WhenSent_Then400()
    {
        var token = await SandboxHostFixture.TokenForAsync(gateway.Client, "hip-" + Guid.NewGuid().ToString("N")[..8], Roles.Hip);
        using var missing = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "x" }, null, DateTimeOffset.UtcNow);
        using var missingResponse = await gateway.Client.SendAsync(missing);
        await Problems.AssertProblemAsync(missingResponse, HttpStatusCode.BadRequest, "MISSING_REQUEST_ID");

        using var bad = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "x" }, "not-a-uuid", DateTimeOffset.UtcNow);
        using var badResponse = await gateway.Client.SendAsync(bad);
        await Problems.AssertProblemAsync(badResponse, HttpStatusCode.BadRequest, "INVALID_REQUEST_ID");
    }

    [Fact]
    public async Task GivenAPatientToken_WhenCallingTheGateway_ThenForbidden()
    {
        var token = await SandboxHostFixture.TokenForAsync(gateway.Client, "p-" + Guid.NewGuid().ToString("N")[..8], Roles.Patient);
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "x" }, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
        using var response = await gateway.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}

[Collection(SharedGatewayHost.Name)]
public sealed class SandboxBridgeTests(GatewayHostFixture gateway)
{
    [Fact]
    public async Task GivenAPartnerWhoseBridgeIsTheSampleHip_WhenItSendsAHeartbeat_ThenTheSampleBridgeRecordsTheCallback()
    {
        var bridge = $"http://localhost:{gateway.Host.Port}/api/sandbox/bridges/hip";
        var (clientId, secret) = await gateway.RegisterPartnerAsync(bridge, Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        var requestId = Guid.NewGuid().ToString();
        using (var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "sim" }, requestId, DateTimeOffset.UtcNow))
        using (var response = await gateway.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));
        using var received = await gateway.Client.GetAsync("api/sandbox/bridges/hip/received");
        var body = await received.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        Assert.Contains(requestId, body);
        Assert.Contains("/v1/gateway/on-heartbeat", body);
    }
}
