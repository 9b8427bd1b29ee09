using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;

namespace Ndhm.Gateway.Callbacks;

/// <summary>
/// Makes one attempt of one delivery for one queue message. Order matters for crash safety: the message for
/// the next attempt is enqueued (with its backoff delay) BEFORE the attempt is saved, so a crash between the
/// two repeats an attempt (at-least-once) but never loses the delivery; the next message, if it arrives
/// before the save, is put back briefly (<see cref="MessageDecision.RetryLater"/>).
/// </summary>
public sealed class DeliveryProcessor(
    IDeliveryStore store,
    IDeliveryQueue queue,
    ICallbackSender sender,
    IPartnerDirectory partners,
    BackoffPolicy policy,
    TimeProvider time,
    Func<double>? random = null)
{
    public static readonly TimeSpan EarlyMessageDelay = TimeSpan.FromSeconds(1);
    private readonly Func<double> random01 = random ?? Random.Shared.NextDouble;

    /// <returns>The delivery after this message (null when the delivery does not exist).</returns>
    public async Task<Delivery?> ProcessAsync(DeliveryMessage message, CancellationToken ct)
    {
        var read = await store.GetAsync(message.PartnerId, message.DeliveryId, ct);
        if (read is null)
        {
            return null; // nothing to deliver (a message without a document: dispatcher failed half-way)
        }

        var delivery = read.Value;
        switch (delivery.Decide(message.Attempt))
        {
            case MessageDecision.Ignore:
                return delivery;
            case MessageDecision.RetryLater:
                await queue.SendAsync(message, EarlyMessageDelay, ct);
                return delivery;
        }

        if (delivery.After is { } after && await store.GetAsync(delivery.AfterPartnerId ?? delivery.PartnerId, after, ct) is { Value: { Status: DeliveryStatus.Pending } before })
        {
            // Its predecessor is still on its way: look again once that one has had its next attempt, without spending
            // an attempt; the held delivery's next-attempt time moves too, so the overdue sweep leaves it alone.
            var checkedAt = time.GetUtcNow();
            var wait = before.NextAttemptAt is { } due && due > checkedAt ? due - checkedAt + EarlyMessageDelay : EarlyMessageDelay;
            await queue.SendAsync(message, wait, ct);
            try
            {
                return (await store.ReplaceAsync(delivery with { NextAttemptAt = checkedAt + wait, UpdatedAt = checkedAt }, read.ETag, ct)).Value;
            }
            catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed)
            {
                return delivery;
            }
        }

        var partner = await partners.FindAsync(delivery.PartnerId, ct);
        var now = time.GetUtcNow();
        DeliveryAttempt attempt = partner is { Active: true }
            ? await sender.SendAsync(delivery, partner.BridgeUrl, message.Attempt, ct)
            : new DeliveryAttempt(message.Attempt, now, 0, null, AttemptOutcome.PermanentFailure,
                partner is null ? "partner not found" : "partner inactive");

        var updated = delivery.Record(attempt, policy, random01(), time.GetUtcNow());
        if (updated is { Status: DeliveryStatus.Pending, NextAttemptAt: { } at })
        {
            var delay = at - time.GetUtcNow();
            await queue.SendAsync(message with { Attempt = updated.NextAttempt }, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, ct);
        }

        try
        {
            return (await store.ReplaceAsync(updated, read.ETag, ct)).Value;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed)
        {
            // Someone else recorded this attempt (a duplicate message raced us): theirs stands.
            return (await store.GetAsync(message.PartnerId, message.DeliveryId, ct))?.Value;
        }
    }

    /// <summary>
    /// Safety net for the one gap in the ordering above: a delivery document created or saved whose message never
    /// reached the queue (process died in between). Pending deliveries overdue by <paramref name="grace"/> get their
    /// message again; a duplicate message is harmless (<see cref="Delivery.Decide"/>).
    /// </summary>
    public async Task<int> RequeueOverdueAsync(TimeSpan grace, int max, CancellationToken ct)
    {
        var overdue = await store.ListOverdueAsync(time.GetUtcNow() - grace, max, ct);
        foreach (var delivery in overdue)
        {
            await queue.SendAsync(new DeliveryMessage(delivery.PartnerId, delivery.Id, delivery.NextAttempt), TimeSpan.Zero, ct);
        }

        return overdue.Count;
    }

    /// <summary>A partner asks for a dead-lettered delivery again: fresh attempt budget, first attempt now.</summary>
    public async Task<Delivery> ReplayAsync(Versioned<Delivery> delivery, CancellationToken ct)
    {
        var replayed = (await store.ReplaceAsync(delivery.Value.Replay(policy, time.GetUtcNow()), delivery.ETag, ct)).Value;
        await queue.SendAsync(new DeliveryMessage(replayed.PartnerId, replayed.Id, replayed.NextAttempt), TimeSpan.Zero, ct);
        return replayed;
    }
}

/// <summary>
/// Records a delivery, then queues its first attempt. A callback's delivery id derives from the partner, the
/// REQUEST-ID it answers and its path, so dispatching it again (a resumed request) finds the same delivery instead
/// of making a second one; webhooks (no request) get a fresh id. The delivery is created without looking first:
/// a new one (nearly every dispatch) costs one write, and only a repeat pays for the read.
/// </summary>
public sealed class CallbackDispatcher(IDeliveryStore store, IDeliveryQueue queue, BackoffPolicy policy, TimeProvider time) : ICallbackDispatcher
{
    public static string DeliveryIdFor(string partnerId, string answersRequestId, string path)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{partnerId}\n{answersRequestId}\n{path}"));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    public Task<string> EnqueueAsync(string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, CancellationToken ct) =>
        EnqueueAfterAsync(partnerId, path, body, answersRequestId, headers, (DeliveryKey?)null, ct);

    public Task<string> EnqueueAfterAsync(string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, string? afterDeliveryId, CancellationToken ct) =>
        EnqueueAfterAsync(partnerId, path, body, answersRequestId, headers, afterDeliveryId is null ? null : new DeliveryKey(partnerId, afterDeliveryId), ct);

    public async Task<string> EnqueueAfterAsync(string partnerId, string path, string body, string? answersRequestId,
        IReadOnlyDictionary<string, string>? headers, DeliveryKey? after, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partnerId);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException("The callback path must start with '/'.", nameof(path));
        }

        var id = answersRequestId is null ? Guid.NewGuid().ToString() : DeliveryIdFor(partnerId, answersRequestId, path);
        var delivery = Delivery.New(id, partnerId, path, body, answersRequestId, headers, policy.MaxAttempts, time.GetUtcNow()) with
        {
            After = after?.DeliveryId,
            AfterPartnerId = after is null || after.PartnerId == partnerId ? null : after.PartnerId,
        };
        try
        {
            await store.CreateAsync(delivery, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Conflict && answersRequestId is not null)
        {
            // Dispatched before (the request is being resumed, or a concurrent repeat got here first): make sure its
            // next attempt is queued. A duplicate message is harmless (Delivery.Decide ignores it).
            if (await store.GetAsync(partnerId, id, ct) is { Value.Status: DeliveryStatus.Pending } existing)
            {
                await queue.SendAsync(new DeliveryMessage(partnerId, id, existing.Value.NextAttempt), TimeSpan.Zero, ct);
            }

            return id;
        }

        await queue.SendAsync(new DeliveryMessage(partnerId, delivery.Id, 1), TimeSpan.Zero, ct);
        return delivery.Id;
    }
}
