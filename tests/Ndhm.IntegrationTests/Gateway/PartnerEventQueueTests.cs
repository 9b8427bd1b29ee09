using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Ndhm.Core.Security;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Infrastructure.Storage;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>The sandbox's stand-in for one Service Bus subscription per partner: one Storage queue per partner.</summary>
[Collection(SharedGatewayHost.Name)]
public sealed class PartnerEventQueueTests(GatewayHostFixture gateway)
{
    private readonly StorageClients storage = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = SandboxEndpoints.StorageConnectionString,
    }).Build());

    [Fact]
    public async Task GivenTwoRegisteredPartners_WhenAnEventIsPublishedForOne_ThenOnlyItsOwnQueueHoldsIt()
    {
        var (a, _) = await gateway.RegisterPartnerAsync("http://localhost:9/a", Roles.Hiu);
        var (b, _) = await gateway.RegisterPartnerAsync("http://localhost:9/b", Roles.Hiu);
        var queueA = storage.Queues.GetQueueClient(PartnerStreamNames.Queue(a));
        var queueB = storage.Queues.GetQueueClient(PartnerStreamNames.Queue(b));
        Assert.True((await queueA.ExistsAsync()).Value, "registration creates the partner's queue");
        Assert.True((await queueB.ExistsAsync()).Value, "registration creates the partner's queue");
        var publisher = new QueuePartnerEventPublisher(storage);
        var data = JsonDocument.Parse("""{"consentId":"c-1","status":"GRANTED"}""").RootElement;

        await publisher.PublishAsync(a, new PartnerEvent(Guid.NewGuid().ToString(), PartnerEventTypes.ConsentChanged, DateTimeOffset.UtcNow, data), CancellationToken.None);

        var received = await ReceiveAsync(queueA, expected: 1);
        var envelope = Assert.Single(received);
        Assert.Equal(a, envelope.GetProperty("partnerId").GetString());
        Assert.Equal("consent.changed", envelope.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("GRANTED", envelope.GetProperty("event").GetProperty("data").GetProperty("status").GetString());
        Assert.Empty(await ReceiveAsync(queueB, expected: 0));
    }

    [Fact]
    public async Task GivenADeactivatedPartner_ThenItsQueueIsGoneAndItsEventsAreDropped()
    {
        var (clientId, _) = await gateway.RegisterPartnerAsync("http://localhost:9/a", Roles.Pharmacy);
        var queue = storage.Queues.GetQueueClient(PartnerStreamNames.Queue(clientId));
        using (var deactivate = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/partners/{clientId}/deactivate", await gateway.AdminTokenAsync()))
        using (var deactivated = await gateway.Client.SendAsync(deactivate))
        {
            Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        }

        await new QueuePartnerEventPublisher(storage).PublishAsync(clientId,
            new PartnerEvent(Guid.NewGuid().ToString(), PartnerEventTypes.OrderStatusChanged, DateTimeOffset.UtcNow, JsonDocument.Parse("{}").RootElement),
            CancellationToken.None);

        Assert.False((await queue.ExistsAsync()).Value);
    }

    /// <summary>Reads the queue until <paramref name="expected"/> messages arrived or a few seconds passed.</summary>
    private static async Task<List<JsonElement>> ReceiveAsync(QueueClient queue, int expected)
    {
        var found = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(expected == 0 ? 3 : 20);
        while (DateTime.UtcNow < deadline && (expected == 0 || found.Count < expected))
        {
            foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(2))).Value)
            {
                found.Add(JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.ToArray())).RootElement.Clone());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }

            await Task.Delay(200);
        }

        return found;
    }
}
