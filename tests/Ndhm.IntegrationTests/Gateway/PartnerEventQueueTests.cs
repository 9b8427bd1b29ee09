using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Gateway;
using Ndhm.Infrastructure.Storage;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

public sealed class PartnerEventQueueTests
{
    [Fact]
    public async Task GivenNoServiceBusNamespace_WhenAnEventIsPublished_ThenItArrivesOnThePartnerEventsQueue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = SandboxEndpoints.StorageConnectionString,
        }).Build();
        Assert.Equal(PartnerEventTransport.StorageQueue, PartnerEventTransports.Choose(configuration));
        var storage = new StorageClients(configuration);
        var publisher = new QueuePartnerEventPublisher(storage);
        var partnerId = "events-" + Guid.NewGuid().ToString("N")[..10];
        var data = JsonDocument.Parse("""{"consentId":"c-1","status":"GRANTED"}""").RootElement;

        await publisher.PublishAsync(partnerId, new PartnerEvent(Guid.NewGuid().ToString(), PartnerEventTypes.ConsentChanged, DateTimeOffset.UtcNow, data), CancellationToken.None);

        var queue = storage.Queues.GetQueueClient(GatewayOptions.PartnerEventsQueue);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement? found = null;
        while (found is null && DateTime.UtcNow < deadline)
        {
            foreach (var message in (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(2))).Value)
            {
                var envelope = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.ToArray())).RootElement;
                if (envelope.GetProperty("partnerId").GetString() == partnerId)
                {
                    found = envelope.Clone();
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        }

        Assert.NotNull(found);
        Assert.Equal("consent.changed", found.Value.GetProperty("event").GetProperty("type").GetString());
        Assert.Equal("GRANTED", found.Value.GetProperty("event").GetProperty("data").GetProperty("status").GetString());
    }
}
