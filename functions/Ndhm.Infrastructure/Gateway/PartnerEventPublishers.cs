using System.Text.Json;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
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
/// (<c>partnerId = 'x'</c> SQL filter, created when the partner is onboarded by infrastructure, not here).
/// </summary>
public sealed class ServiceBusPartnerEventPublisher : IPartnerEventPublisher, IAsyncDisposable
{
    private readonly ServiceBusClient client;
    private readonly ServiceBusSender sender;

    public ServiceBusPartnerEventPublisher(IConfiguration configuration)
    {
        var ns = configuration.GetSetting(SettingNames.ServiceBusNamespace)!;
        var topic = configuration.GetSetting(SettingNames.ServiceBusPartnerEventsTopic)
            ?? throw new InvalidOperationException($"Setting {SettingNames.ServiceBusPartnerEventsTopic} is required with {SettingNames.ServiceBusNamespace}.");
        client = new ServiceBusClient(ns, new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = configuration.GetSetting(SettingNames.ManagedIdentityClientId),
        }));
        sender = client.CreateSender(topic);
    }

    public Task PublishAsync(string partnerId, PartnerEvent partnerEvent, CancellationToken ct)
    {
        var message = new ServiceBusMessage(BinaryData.FromObjectAsJson(new PartnerEventEnvelope(partnerId, partnerEvent), NdhmJson.Options))
        {
            MessageId = partnerEvent.Id, // duplicate detection on the topic, when enabled
            Subject = partnerEvent.Type,
            ContentType = "application/json",
        };
        message.ApplicationProperties["partnerId"] = partnerId;
        return sender.SendMessageAsync(message, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await sender.DisposeAsync();
        await client.DisposeAsync();
    }
}

/// <summary>Sandbox: every partner's events in one Storage queue, <c>partner-events</c>, as JSON envelopes.</summary>
public sealed class QueuePartnerEventPublisher(StorageClients storage) : IPartnerEventPublisher
{
    private readonly QueueClient queue = storage.Queues.GetQueueClient(GatewayOptions.PartnerEventsQueue);
    private volatile bool created;

    public async Task PublishAsync(string partnerId, PartnerEvent partnerEvent, CancellationToken ct)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            created = true;
        }

        await queue.SendMessageAsync(JsonSerializer.Serialize(new PartnerEventEnvelope(partnerId, partnerEvent), NdhmJson.Options), ct);
    }
}
