using Ndhm.Analytics;
using Ndhm.DataTransfer;
using Ndhm.Infrastructure.Analytics;
using Ndhm.UnitTests.DataTransfer;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class TransferFactsTests : IDisposable
{
    private readonly DataTransferRig rig = new();
    private readonly RecordingFacts facts = new();

    public void Dispose() => rig.Dispose();

    private async Task<(HiTransaction Transaction, string ETag)> OpenAsync()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        var found = (await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!;
        return (found.Value, found.ETag);
    }

    [Fact]
    public async Task GivenAnOpenTransaction_WhenItIsClosedAfterNinetySeconds_ThenOneFactWithItsOutcomeAndLatencyInMilliseconds()
    {
        var (open, etag) = await OpenAsync();
        var store = new TransferFacts(rig.Store, facts);
        var closed = open.WithPendingErrored(null, "TEST", "no answer", open.CreatedAt.AddSeconds(90)).Close(open.CreatedAt.AddSeconds(90));

        var etag2 = await store.ReplaceAsync(open with { }, etag, CancellationToken.None);
        await store.ReplaceAsync(closed, etag2, CancellationToken.None);

        var fact = Assert.Single(facts.Stored.Values);
        var normalised = RecordingFacts.Normalised(fact);
        Assert.Equal((TransferFacts.Measure, 90_000d, "unknown|unknown|unknown|FAILED"), (fact.Measure, normalised.Value, normalised.Cell));
        Assert.Equal(DateOnly.FromDateTime(closed.ClosedAt!.Value.UtcDateTime), fact.Day);
        Assert.Null(fact.FacilityId);
        Assert.DoesNotContain(fact.Dimensions.Values, v => v == open.PatientNumber || v == open.HiuId);
    }

    [Fact]
    public async Task GivenAClosedTransaction_WhenWrittenAgain_ThenItIsStillOneFact()
    {
        var (open, etag) = await OpenAsync();
        var store = new TransferFacts(rig.Store, facts);
        var closed = open.WithPendingErrored(null, "TEST", "no answer", open.CreatedAt).Close(open.CreatedAt.AddSeconds(5));

        var etag2 = await store.ReplaceAsync(closed, etag, CancellationToken.None);
        await store.ReplaceAsync(closed.WithHiuReport(new Dictionary<string, bool>()), etag2, CancellationToken.None);

        Assert.Equal(2, facts.Attempts);
        Assert.Equal(AnalyticsFactIds.For(TransferFacts.Measure, open.Id), Assert.Single(facts.Stored.Values).Id);
    }

    [Fact]
    public async Task GivenTheFactStoreDown_WhenATransactionCloses_ThenTheCloseFailsAndTheTransactionStaysOpen()
    {
        var (open, etag) = await OpenAsync();
        facts.Failing = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new TransferFacts(rig.Store, facts).ReplaceAsync(open.Close(open.CreatedAt.AddSeconds(1)), etag, CancellationToken.None));

        Assert.False((await rig.Store.FindAsync(open.Id, CancellationToken.None))!.Value.IsClosed);
    }
}
