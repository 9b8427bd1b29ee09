using System.Text.Json;
using Azure.Storage.Queues;
using Ndhm.Core.Json;
using Ndhm.Infrastructure.Storage;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Orders;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// Order events as Storage queue messages (<c>Pharmacy__OrderQueue</c>, default <c>pharmacy-orders</c>). The Functions
/// host moves a message that failed <c>maxDequeueCount</c> times (or cannot be decoded) to <c>&lt;queue&gt;-poison</c>,
/// which operators read through <see cref="IOrderPoisonQueue"/>; other orders keep flowing meanwhile.
/// </summary>
public sealed class StorageOrderEventQueue(StorageClients storage, PharmacyQueueName name) : IOrderEventQueue, IOrderPoisonQueue
{
    private readonly QueueClient queue = storage.Queues.GetQueueClient(name.Value);
    private readonly QueueClient poison = storage.Queues.GetQueueClient(name.Value + "-poison");
    private volatile bool created;

    string IOrderPoisonQueue.Name => poison.Name;

    public async Task SendAsync(OrderEventMessage message, CancellationToken ct)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            created = true;
        }

        await queue.SendMessageAsync(JsonSerializer.Serialize(message, NdhmJson.Options), ct);
    }

    public async Task<IReadOnlyList<PoisonMessage>> PeekAsync(int max, CancellationToken ct)
    {
        if (!(await poison.ExistsAsync(ct)).Value) return [];
        var peeked = await poison.PeekMessagesAsync(Math.Clamp(max, 1, 32), ct);
        return peeked.Value.Select(m => new PoisonMessage(m.MessageId, m.InsertedOn, m.Body.ToString())).ToList();
    }
}

/// <summary>The order queue's name (the trigger binds <c>%Pharmacy__OrderQueue%</c>).</summary>
public sealed record PharmacyQueueName(string Value)
{
    public const string Default = "pharmacy-orders";
}
