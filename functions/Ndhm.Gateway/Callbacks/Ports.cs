using Ndhm.Core.Concurrency;

namespace Ndhm.Gateway.Callbacks;

/// <summary>
/// Sends a callback or webhook to a partner's bridge, later and reliably: the delivery is recorded, queued,
/// retried with backoff and finally dead-lettered, every attempt kept for the partner to see.
/// </summary>
public interface ICallbackDispatcher
{
    /// <param name="partnerId">The partner's client id; its bridge URL is looked up at delivery time.</param>
    /// <param name="path">Path under the bridge URL, e.g. <c>/v0.5/heartbeat/on-heartbeat</c>.</param>
    /// <param name="body">JSON body; for callbacks it carries <c>response.requestId</c>.</param>
    /// <param name="answersRequestId">The REQUEST-ID of the request this callback answers (null for webhooks).</param>
    /// <param name="headers">Extra headers, e.g. <c>X-HIP-ID</c> / <c>X-HIU-ID</c>.</param>
    /// <returns>The delivery id.</returns>
    Task<string> EnqueueAsync(string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, CancellationToken ct);

    /// <summary>
    /// As <see cref="EnqueueAsync"/>, delivered only once delivery <paramref name="afterDeliveryId"/> to the same partner
    /// is settled (null: no predecessor). Dispatchers that cannot order deliver unordered.
    /// </summary>
    Task<string> EnqueueAfterAsync(string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, string? afterDeliveryId, CancellationToken ct) =>
        EnqueueAsync(partnerId, path, body, answersRequestId, headers, ct);

    /// <summary>As above, after a delivery that may be another partner's (null: no predecessor).</summary>
    Task<string> EnqueueAfterAsync(string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, DeliveryKey? after, CancellationToken ct) =>
        EnqueueAsync(partnerId, path, body, answersRequestId, headers, ct);
}

/// <summary>One delivery: its partner (the partition) and id.</summary>
public sealed record DeliveryKey(string PartnerId, string DeliveryId);

/// <summary>Delivery documents (Cosmos <c>gateway</c> container).</summary>
public interface IDeliveryStore
{
    Task<Versioned<Delivery>?> GetAsync(string partnerId, string deliveryId, CancellationToken ct);

    Task<Versioned<Delivery>> CreateAsync(Delivery delivery, CancellationToken ct);

    /// <summary>Replaces the delivery if <paramref name="ifMatch"/> is still its ETag (412 CONCURRENT_UPDATE otherwise).</summary>
    Task<Versioned<Delivery>> ReplaceAsync(Delivery delivery, string ifMatch, CancellationToken ct);

    Task<IReadOnlyList<Delivery>> ListAsync(string partnerId, DeliveryStatus? status, int max, CancellationToken ct);

    /// <summary>Pending deliveries (any partner) whose next attempt was due before <paramref name="dueBefore"/>.</summary>
    Task<IReadOnlyList<Delivery>> ListOverdueAsync(DateTimeOffset dueBefore, int max, CancellationToken ct);
}

/// <summary>A queue message asking for one attempt of one delivery.</summary>
public sealed record DeliveryMessage(string PartnerId, string DeliveryId, int Attempt);

public interface IDeliveryQueue
{
    Task SendAsync(DeliveryMessage message, TimeSpan delay, CancellationToken ct);
}

/// <summary>The HTTP side of an attempt.</summary>
public interface ICallbackSender
{
    Task<DeliveryAttempt> SendAsync(Delivery delivery, Uri bridgeUrl, int attemptNumber, CancellationToken ct);
}
