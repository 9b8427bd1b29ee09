using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Partners;
using Ndhm.Gateway.Callbacks;

namespace Ndhm.UnitTests.Gateway;

public sealed class DeliveryProcessorTests
{
    private static readonly BackoffPolicy Policy = new(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeStore store = new();
    private readonly FakeQueue queue = new();
    private readonly FakeSender sender = new();

    private DeliveryProcessor Processor(bool active = true) =>
        new(store, queue, sender, new FakeDirectory(active), Policy, time, () => 0.5);

    private async Task<Versioned<Delivery>> SeedAsync()
    {
        var d = Delivery.New("d1", "p1", "/cb", "{}", "r1", null, Policy.MaxAttempts, time.GetUtcNow());
        return await store.CreateAsync(d, CancellationToken.None);
    }

    [Fact]
    public async Task GivenA503_WhenProcessed_ThenTheNextAttemptIsEnqueuedWithTheBackoffDelay()
    {
        await SeedAsync();
        sender.Codes.Enqueue(503);

        var after = await Processor().ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);

        Assert.Equal(DeliveryStatus.Pending, after!.Status);
        var (message, delay) = Assert.Single(queue.Sent);
        Assert.Equal(2, message.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(1.5), delay); // ceiling 2 s, jitter 0.5 → 1.5 s
    }

    [Fact]
    public async Task GivenADeliveredDelivery_WhenTheSameMessageIsRedelivered_ThenNothingIsSent()
    {
        await SeedAsync();
        sender.Codes.Enqueue(200);
        await Processor().ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);

        await Processor().ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);

        Assert.Equal(1, sender.Calls);
        Assert.Empty(queue.Sent);
    }

    [Fact]
    public async Task GivenAMessageAheadOfTheDocument_WhenProcessed_ThenItIsPutBackWithoutSending()
    {
        await SeedAsync();

        await Processor().ProcessAsync(new DeliveryMessage("p1", "d1", 2), CancellationToken.None);

        Assert.Equal(0, sender.Calls);
        Assert.Equal((new DeliveryMessage("p1", "d1", 2), DeliveryProcessor.EarlyMessageDelay), Assert.Single(queue.Sent));
    }

    [Fact]
    public async Task GivenADeliveryAfterOneStillPending_WhenProcessed_ThenItWaitsWithoutSpendingAnAttempt_AndGoesOnceThatOneIsSettled()
    {
        await SeedAsync();
        var later = Delivery.New("d2", "p1", "/cb", "{}", "r2", null, Policy.MaxAttempts, time.GetUtcNow()) with { After = "d1" };
        await store.CreateAsync(later, CancellationToken.None);

        var held = await Processor().ProcessAsync(new DeliveryMessage("p1", "d2", 1), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Pending, 1, 0), (held!.Status, held.NextAttempt, sender.Calls));
        Assert.Equal((new DeliveryMessage("p1", "d2", 1), DeliveryProcessor.EarlyMessageDelay), Assert.Single(queue.Sent));

        sender.Codes.Enqueue(200);
        sender.Codes.Enqueue(200);
        await Processor().ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);
        var sent = await Processor().ProcessAsync(new DeliveryMessage("p1", "d2", 1), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Delivered, 2), (sent!.Status, sender.Calls));
    }

    [Fact]
    public async Task GivenADeliveryAfterAnotherPartnersPendingReply_WhenProcessed_ThenItIsHeldUntilThatReplyIsSettled()
    {
        // The HIU's on-request (p1/d1) and the HIP's hip/request (p2/d2) held behind it.
        await SeedAsync();
        var dispatcher = new CallbackDispatcher(store, queue, Policy, time);
        var hipRequest = await dispatcher.EnqueueAfterAsync("p2", "/hip", "{}", null, null, new DeliveryKey("p1", "d1"), CancellationToken.None);
        queue.Sent.Clear();

        var held = await Processor().ProcessAsync(new DeliveryMessage("p2", hipRequest, 1), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Pending, 1, 0, "p1"), (held!.Status, held.NextAttempt, sender.Calls, held.AfterPartnerId));
        sender.Codes.Enqueue(200);
        sender.Codes.Enqueue(200);
        await Processor().ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);
        var sent = await Processor().ProcessAsync(new DeliveryMessage("p2", hipRequest, 1), CancellationToken.None);
        Assert.Equal((DeliveryStatus.Delivered, 2), (sent!.Status, sender.Calls));
    }

    [Fact]
    public async Task GivenAPredecessorIdPendingOnlyUnderAnotherPartner_WhenProcessed_ThenItIsNotHeld()
    {
        await SeedAsync();   // p1/d1 pending
        var dispatcher = new CallbackDispatcher(store, queue, Policy, time);
        var mine = await dispatcher.EnqueueAfterAsync("p2", "/cb", "{}", null, null, "d1", CancellationToken.None);   // p2/d1: none
        sender.Codes.Enqueue(200);

        var sent = await Processor().ProcessAsync(new DeliveryMessage("p2", mine, 1), CancellationToken.None);

        Assert.Equal((DeliveryStatus.Delivered, 1, (string?)null), (sent!.Status, sender.Calls, sent.AfterPartnerId));
    }

    [Fact]
    public async Task GivenAnInactivePartner_WhenProcessed_ThenDeadLetteredWithoutSending()
    {
        await SeedAsync();

        var after = await Processor(active: false).ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);

        Assert.Equal(DeliveryStatus.DeadLettered, after!.Status);
        Assert.Equal(0, sender.Calls);
    }

    [Fact]
    public async Task GivenAVersionChangedMeanwhile_WhenReplayed_ThenConcurrentUpdateAndNothingQueued()
    {
        var seeded = await SeedAsync();
        await Processor(active: false).ProcessAsync(new DeliveryMessage("p1", "d1", 1), CancellationToken.None);
        var deadLettered = await store.GetAsync("p1", "d1", CancellationToken.None);

        var error = await Assert.ThrowsAsync<Ndhm.Core.Errors.DomainException>(() =>
            Processor().ReplayAsync(deadLettered! with { ETag = seeded.ETag }, CancellationToken.None));

        Assert.Equal(Ndhm.Core.Errors.ErrorKind.PreconditionFailed, error.Kind);
        Assert.Empty(queue.Sent);
        Assert.Equal(DeliveryStatus.DeadLettered, (await store.GetAsync("p1", "d1", CancellationToken.None))!.Value.Status);
    }

    [Fact]
    public async Task GivenAnOverduePendingDelivery_WhenTheSweepRuns_ThenItsMessageIsEnqueuedAgain()
    {
        await SeedAsync();
        time.Advance(TimeSpan.FromMinutes(5));

        var count = await Processor().RequeueOverdueAsync(TimeSpan.FromMinutes(2), 10, CancellationToken.None);

        Assert.Equal(1, count);
        Assert.Equal(new DeliveryMessage("p1", "d1", 1), Assert.Single(queue.Sent).Message);
    }

    [Fact]
    public async Task GivenACallbackDispatchedTwiceForOneRequest_WhenDispatched_ThenOneDeliveryAndItsAttemptQueuedAgain()
    {
        var dispatcher = new CallbackDispatcher(store, queue, Policy, time);

        var first = await dispatcher.EnqueueAsync("p1", "/cb", "{}", "r1", null, CancellationToken.None);
        var second = await dispatcher.EnqueueAsync("p1", "/cb", "{}", "r1", null, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Single(await store.ListAsync("p1", null, 10, CancellationToken.None));
        Assert.Equal([1, 1], queue.Sent.Select(s => s.Message.Attempt));
    }

    [Fact]
    public async Task GivenADeliveredCallback_WhenDispatchedAgain_ThenNothingMoreIsQueued()
    {
        var dispatcher = new CallbackDispatcher(store, queue, Policy, time);
        var id = await dispatcher.EnqueueAsync("p1", "/cb", "{}", "r1", null, CancellationToken.None);
        await Processor().ProcessAsync(new DeliveryMessage("p1", id, 1), CancellationToken.None);

        var again = await dispatcher.EnqueueAsync("p1", "/cb", "{}", "r1", null, CancellationToken.None);

        Assert.Equal(id, again);
        Assert.Equal(new DeliveryMessage("p1", id, 1), Assert.Single(queue.Sent).Message);
        Assert.Equal(1, sender.Calls);
    }

    [Fact]
    public async Task GivenWebhooksWithoutARequest_WhenDispatchedTwice_ThenTwoDeliveries()
    {
        var dispatcher = new CallbackDispatcher(store, queue, Policy, time);

        var first = await dispatcher.EnqueueAsync("p1", "/events", "{}", null, null, CancellationToken.None);
        var second = await dispatcher.EnqueueAsync("p1", "/events", "{}", null, null, CancellationToken.None);

        Assert.NotEqual(first, second);
        Assert.Equal(2, (await store.ListAsync("p1", null, 10, CancellationToken.None)).Count);
    }

    private sealed class FakeStore : IDeliveryStore
    {
        // Keyed as Cosmos keys them: the partner is the partition, so one id under two partners is two documents.
        private readonly Dictionary<(string Partner, string Id), Versioned<Delivery>> items = [];
        private int version;

        public Task<Versioned<Delivery>?> GetAsync(string partnerId, string deliveryId, CancellationToken ct) =>
            Task.FromResult(items.GetValueOrDefault((partnerId, deliveryId)));

        public Task<Versioned<Delivery>> CreateAsync(Delivery delivery, CancellationToken ct) =>
            items.TryAdd((delivery.PartnerId, delivery.Id), new Versioned<Delivery>(delivery, (++version).ToString()))
                ? Task.FromResult(items[(delivery.PartnerId, delivery.Id)])
                : throw new Ndhm.Core.Errors.DomainException(Ndhm.Core.Errors.ErrorKind.Conflict, "CONFLICT", "exists");

        public Task<Versioned<Delivery>> ReplaceAsync(Delivery delivery, string ifMatch, CancellationToken ct) =>
            items[(delivery.PartnerId, delivery.Id)].ETag == ifMatch
                ? Task.FromResult(items[(delivery.PartnerId, delivery.Id)] = new Versioned<Delivery>(delivery, (++version).ToString()))
                : throw new Ndhm.Core.Errors.DomainException(Ndhm.Core.Errors.ErrorKind.PreconditionFailed, "CONCURRENT_UPDATE", "x");

        public Task<IReadOnlyList<Delivery>> ListAsync(string partnerId, DeliveryStatus? status, int max, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<Delivery>>(items.Values.Select(v => v.Value).ToList());

        public Task<IReadOnlyList<Delivery>> ListOverdueAsync(DateTimeOffset dueBefore, int max, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<Delivery>>(items.Values.Select(v => v.Value)
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt < dueBefore).ToList());
    }

    private sealed class FakeQueue : IDeliveryQueue
    {
        public List<(DeliveryMessage Message, TimeSpan Delay)> Sent { get; } = [];

        public Task SendAsync(DeliveryMessage message, TimeSpan delay, CancellationToken ct)
        {
            Sent.Add((message, delay));
            return Task.CompletedTask;
        }
    }

    private sealed class FakeSender : ICallbackSender
    {
        public Queue<int?> Codes { get; } = new();

        public int Calls { get; private set; }

        public Task<DeliveryAttempt> SendAsync(Delivery delivery, Uri bridgeUrl, int attemptNumber, CancellationToken ct)
        {
            Calls++;
            var code = Codes.Count > 0 ? Codes.Dequeue() : 200;
            return Task.FromResult(new DeliveryAttempt(attemptNumber, DateTimeOffset.UnixEpoch, 1, code, Delivery.Classify(code), null));
        }
    }

    private sealed class FakeDirectory(bool active) : IPartnerDirectory
    {
        public Task<PartnerEndpoint?> FindAsync(string partnerId, CancellationToken ct) =>
            Task.FromResult<PartnerEndpoint?>(new PartnerEndpoint(partnerId, new Uri("https://bridge.example.org"), new HashSet<string> { "HIP" }, active));
    }
}
