using System.Text.Json;
using Azure.Storage.Queues;
using Ndhm.Core.Json;
using Ndhm.Gateway.Callbacks;
using Ndhm.Infrastructure.Storage;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Delivery attempts as Storage queue messages. Backoff is the message's visibility delay (at most 7 days
/// in Storage), not the dequeue count: the host's own retry (and poison queue) is left for undecodable messages.
/// </summary>
public sealed class StorageDeliveryQueue(StorageClients storage, GatewayOptions options) : IDeliveryQueue
{
    private static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(6);
    private readonly QueueClient queue = storage.Queues.GetQueueClient(options.CallbackQueue);
    private volatile bool created;

    public async Task SendAsync(DeliveryMessage message, TimeSpan delay, CancellationToken ct)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            created = true;
        }

        var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay > MaxVisibilityDelay ? MaxVisibilityDelay : delay;
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, NdhmJson.Options), visibility, cancellationToken: ct);
    }
}
