using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.GrpcHost;

/// <summary>
/// A queue-triggered function of the built function app invoked through the gRPC host harness with a real message
/// (an InvocationRequest carrying the message and the queue binding data), asserted by its effect. The harness polls
/// no queue: a partner's heartbeat (HTTP, through the harness) enqueues a callback attempt, the test takes that
/// message off the queue and has the harness invoke <c>DeliverCallback</c> with it, as the host's queue listener would.
/// </summary>
// One harness at a time: each starts a worker process, and several cold starts at once miss the start-up deadline.
[Collection("gRPC host harness")]
public sealed class QueueInvocationTests(QueueInvocationTests.HarnessFixture harness) : IClassFixture<QueueInvocationTests.HarnessFixture>
{
    /// <summary>One gRPC harness for the class, with its own callback queue and short callback backoff.</summary>
    public sealed class HarnessFixture : IAsyncLifetime
    {
        public string CallbackQueue { get; } = TestRun.NewQueue("cb");

        public LocalHostProcess? Host { get; private set; }

        public async Task InitializeAsync() => Host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Gateway__CallbackQueue"] = CallbackQueue,
            ["Gateway__CallbackMaxAttempts"] = GatewayHostFixture.MaxAttempts.ToString(CultureInfo.InvariantCulture),
            ["Gateway__CallbackInitialDelayMs"] = "200",
            ["Gateway__CallbackMaxDelayMs"] = "1000",
            ["Gateway__CallbackTimeoutSeconds"] = "3",
            ["Gateway__SecretHashIterations"] = "1000",
        }, kind: HostKind.GrpcWorker);

        public async Task DisposeAsync()
        {
            if (Host is not null)
            {
                await Host.DisposeAsync();
            }
        }
    }

    private LocalHostProcess Host => harness.Host ?? throw new InvalidOperationException("not started");

    private string CallbackQueue => harness.CallbackQueue;

    [Fact]
    public async Task Given_a_callback_attempt_on_the_queue_When_the_harness_invokes_DeliverCallback_with_it_Then_the_partner_gets_the_callback_and_the_delivery_is_delivered()
    {
        var gateway = GatewayHostFixture.Over(Host);
        await using var receiver = await WebhookReceiver.StartAsync(_ => 200);
        var (clientId, secret) = await gateway.RegisterPartnerAsync(receiver.BaseUrl, Roles.Hip);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        var requestId = Guid.NewGuid().ToString();
        using (var heartbeat = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "over gRPC" }, requestId, DateTimeOffset.UtcNow))
        using (var accepted = await Host.Client.SendAsync(heartbeat))
        {
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        }

        var message = await TakeMessageAsync();
        var outcome = await InvokeAsync("DeliverCallback", message);

        Assert.Equal("Success", outcome.GetProperty("status").GetString());
        var delivery = await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() != "pending", TimeSpan.FromSeconds(10));
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        var callback = Assert.Single(receiver.Requests);
        Assert.Equal("/v1/gateway/on-heartbeat", callback.Path);
        Assert.Equal(requestId, callback.Body.GetProperty("response").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Given_a_message_that_is_not_a_delivery_When_invoked_Then_the_worker_reports_the_failure_to_the_host()
    {
        var outcome = await InvokeAsync("DeliverCallback", "{\"partnerId\":\"\",\"deliveryId\":\"\",\"attempt\":0}");

        // A failed InvocationResponse is what makes the real host leave the message for a retry (then poison it).
        Assert.Equal("Failure", outcome.GetProperty("status").GetString());
        Assert.Contains("Not a delivery message", outcome.GetProperty("exception").GetString());
    }

    private async Task<JsonElement> InvokeAsync(string function, string message)
    {
        using var response = await Host.Client.PostAsJsonAsync($"admin/functions/{function}", new { input = message, dequeueCount = 1 });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    // The app writes base64 messages (host.json messageEncoding); the host's queue listener decodes them the same way.
    private async Task<string> TakeMessageAsync()
    {
        var queue = new QueueClient(SandboxEndpoints.StorageConnectionString, CallbackQueue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (await queue.ExistsAsync())
            {
                var received = (await queue.ReceiveMessagesAsync(maxMessages: 1)).Value;
                if (received.Length == 1)
                {
                    await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);
                    return received[0].Body.ToString();
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"No callback attempt arrived on {CallbackQueue}.");
    }
}
