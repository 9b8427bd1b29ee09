using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Gateway;

namespace Ndhm.UnitTests.Gateway;

public sealed class CachedPartnerDirectoryTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly Partners store = new();

    [Fact]
    public async Task GivenACachedPartner_WhenItChangesElsewhere_ThenTheOldBridgeIsServedUntilTheCacheRunsOut()
    {
        var directory = new CachedPartnerDirectory(store, time);
        store.Current = Partner("https://old.example.org");
        await directory.FindAsync("lab", CancellationToken.None);

        store.Current = Partner("https://new.example.org");

        Assert.Equal("https://old.example.org/", (await directory.FindAsync("lab", CancellationToken.None))!.BridgeUrl.ToString());
        time.Advance(CachedPartnerDirectory.CacheFor);
        Assert.Equal("https://new.example.org/", (await directory.FindAsync("lab", CancellationToken.None))!.BridgeUrl.ToString());
    }

    [Fact]
    public async Task GivenACachedPartner_WhenThisInstanceChangedItAndForgetsIt_ThenTheNextLookupSeesTheChangeAtOnce()
    {
        var directory = new CachedPartnerDirectory(store, time);
        store.Current = Partner("https://old.example.org", "IN2810000001");
        await directory.FindAsync("lab", CancellationToken.None);
        store.Current = Partner("https://new.example.org", "IN2810000002");

        directory.Invalidate("lab");

        var found = await directory.FindAsync("lab", CancellationToken.None);
        Assert.Equal("https://new.example.org/", found!.BridgeUrl.ToString());
        Assert.Equal(["IN2810000002"], found.Facilities!);
    }

    private Partner Partner(string bridge, params string[] facilities) =>
        new("lab", "Lab", ["HIP"], new Uri(bridge), facilities, true, new HashedSecret("PBKDF2-SHA256", 1, "", ""), time.GetUtcNow(), time.GetUtcNow());

    /// <summary>One partner whose stored state the test changes behind the directory's back.</summary>
    private sealed class Partners : IPartnerStore
    {
        public Partner? Current { get; set; }

        public Task<Versioned<Partner>?> GetAsync(string clientId, CancellationToken ct) =>
            Task.FromResult(Current is null ? null : new Versioned<Partner>(Current, "\"1\""));
        public Task<Versioned<Partner>> CreateAsync(Partner partner, CancellationToken ct) => throw new NotSupportedException();
        public Task<Versioned<Partner>> ReplaceAsync(Partner partner, string ifMatch, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyList<Partner>> ListAsync(int max, CancellationToken ct) => throw new NotSupportedException();
    }
}
