using System.Text.Json;
using Azure;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Configuration;
using Ndhm.Core.Json;
using Ndhm.Gateway.Events;
using Ndhm.Infrastructure.Storage;
using Ndhm.Infrastructure.Configuration;

namespace Ndhm.Infrastructure.Gateway;

public enum PartnerEventTransport
{
    ServiceBusTopic,
    StorageQueue,
}

public static class PartnerEventTransports
{
    /// <summary>Azure has a Service Bus namespace configured; the sandbox (no namespace) uses a Storage queue.</summary>
    public static PartnerEventTransport Choose(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration.GetSetting(SettingNames.ServiceBusNamespace))
            ? PartnerEventTransport.StorageQueue
            : PartnerEventTransport.ServiceBusTopic;
}

/// <summary>
/// Azure: one topic, one subscription per partner filtering on the <c>partnerId</c> application property
/// (<see cref="PartnerStreamNames.SqlFilter"/>, created by <see cref="IPartnerEventSubscriptions"/> when the partner
/// is registered). An event for a partner without a subscription (deactivated) matches no rule and is dropped.
/// </summary>
public sealed class ServiceBusPartnerEventPublisher : IPartnerEventPublisher, IAsyncDisposable
{
    private readonly ServiceBusClient client;
    private readonly ServiceBusSender sender;

    public ServiceBusPartnerEventPublisher(IConfiguration configuration)
    {
        client = new ServiceBusClient(ServiceBusSettings.Namespace(configuration), ServiceBusSettings.Credential(configuration));
        sender = client.CreateSender(ServiceBusSettings.Topic(configuration));
    }

    public Task PublishAsync(string partnerId, PartnerEvent partnerEvent, CancellationToken ct)
    {
        var message = new ServiceBusMessage(BinaryData.FromObjectAsJson(new PartnerEventEnvelope(partnerId, partnerEvent), NdhmJson.Options))
        {
            MessageId = partnerEvent.Id, // duplicate detection on the topic, when enabled
            Subject = partnerEvent.Type,
            ContentType = "application/json",
        };
        message.ApplicationProperties[PartnerStreamNames.FilterProperty] = partnerId;
        return sender.SendMessageAsync(message, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await sender.DisposeAsync();
        await client.DisposeAsync();
    }
}

/// <summary>
/// Sandbox: each event goes, as a JSON envelope <c>{partnerId, event}</c>, to the partner's own Storage queue
/// (<see cref="PartnerStreamNames.Queue"/>), which registration creates. Like a topic without a matching
/// subscription, an event for a partner without a queue (unknown or deactivated) is dropped, not queued.
/// </summary>
public sealed class QueuePartnerEventPublisher(StorageClients storage, ILogger<QueuePartnerEventPublisher>? logger = null) : IPartnerEventPublisher
{
    public async Task PublishAsync(string partnerId, PartnerEvent partnerEvent, CancellationToken ct)
    {
        var queue = storage.Queues.GetQueueClient(PartnerStreamNames.Queue(partnerId));
        try
        {
            await queue.SendMessageAsync(JsonSerializer.Serialize(new PartnerEventEnvelope(partnerId, partnerEvent), NdhmJson.Options), ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            logger?.LogWarning("Event {EventId} for partner {PartnerId} dropped: the partner has no event queue.", partnerEvent.Id, partnerId);
        }
    }
}
