using Ndhm.Core.Errors;
using Ndhm.Gateway.Callbacks;
using Ndhm.Infrastructure.Gateway;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>The delivery store against the sandbox's Cosmos emulator (database and containers the host creates).</summary>
[Collection(SharedGatewayHost.Name)]
public sealed class DeliveryStoreTests
{
    private readonly CosmosDeliveryStore store;

    // The host fixture is only here to make sure the sandbox database and containers exist.
    public DeliveryStoreTests(GatewayHostFixture _)
    {
        store = new CosmosDeliveryStore(SandboxCosmos.Client, SandboxCosmos.Settings);
    }

    [Fact]
    public async Task ListOverdue_FindsOnlyPendingDeliveriesPastTheirDueTime()
    {
        var partner = "store-" + Guid.NewGuid().ToString("N")[..10];
        var now = DateTimeOffset.UtcNow;
        var overdue = Delivery.New(Guid.NewGuid().ToString(), partner, "/cb", "{}", null, null, 3, now.AddMinutes(-10));
        var future = Delivery.New(Guid.NewGuid().ToString(), partner, "/cb", "{}", null, null, 3, now) with { NextAttemptAt = now.AddMinutes(10) };
        var delivered = Delivery.New(Guid.NewGuid().ToString(), partner, "/cb", "{}", null, null, 3, now.AddMinutes(-10)) with { Status = DeliveryStatus.Delivered };
        foreach (var d in new[] { overdue, future, delivered })
        {
            await store.CreateAsync(d, CancellationToken.None);
        }

        var found = (await store.ListOverdueAsync(now.AddMinutes(-2), 1000, CancellationToken.None)).Select(d => d.Id).ToList();

        Assert.Contains(overdue.Id, found);
        Assert.DoesNotContain(future.Id, found);
        Assert.DoesNotContain(delivered.Id, found);
        var listed = await store.ListAsync(partner, DeliveryStatus.Delivered, 10, CancellationToken.None);
        Assert.Equal([delivered.Id], listed.Select(d => d.Id));
    }

    [Fact]
    public async Task GivenTwoWritersWithTheSameETag_WhenBothReplace_ThenTheSecondGetsConcurrentUpdate()
    {
        var partner = "store-" + Guid.NewGuid().ToString("N")[..10];
        var created = await store.CreateAsync(Delivery.New(Guid.NewGuid().ToString(), partner, "/cb", "{}", null, null, 3, DateTimeOffset.UtcNow),
            CancellationToken.None);

        var first = await store.ReplaceAsync(created.Value with { NextAttempt = 2 }, created.ETag, CancellationToken.None);
        var second = await Assert.ThrowsAsync<DomainException>(() =>
            store.ReplaceAsync(created.Value with { NextAttempt = 3 }, created.ETag, CancellationToken.None));

        Assert.Equal(ErrorCodes.ConcurrentUpdate, second.Code);
        Assert.NotEqual(created.ETag, first.ETag);
        var stored = await store.GetAsync(partner, created.Value.Id, CancellationToken.None);
        Assert.Equal((2, first.ETag), (stored!.Value.NextAttempt, stored.ETag));
    }
}
