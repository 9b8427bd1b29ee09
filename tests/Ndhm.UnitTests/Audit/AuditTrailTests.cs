using System.Text;
using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Errors;

namespace Ndhm.UnitTests.Audit;

public sealed class AuditTrailTests : IDisposable
{
    private readonly AuditRig rig = new();

    public void Dispose() => rig.Dispose();

    [Fact]
    public async Task GivenAnEmptyChain_WhenEventsAreRecorded_ThenTheyLinkFromGenesisWithOneWriteEach()
    {
        await rig.AppendAsync(3);

        var entries = rig.Entries().Values.ToList();
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Seq));
        Assert.Equal(AuditHashing.Genesis, entries[0].PrevHash);
        Assert.Equal(entries[0].Hash, entries[1].PrevHash);
        Assert.Equal(entries[1].Hash, entries[2].PrevHash);
        Assert.Equal(3, rig.Store.Appends);
        Assert.Equal(0, rig.Store.Conflicts);
    }

    [Fact]
    public async Task GivenAnEvent_WhenRecorded_ThenTheEntryHoldsWhoWhatWhenWhyAndFromWhere()
    {
        await rig.AppendAsync(1);

        var entry = rig.Entries()[1].Read();
        Assert.Equal(("hiu-client-1", "hiu-client-1"), (entry.Actor.Subject, entry.Actor.Partner));
        Assert.Equal(["HIU"], entry.Actor.Roles);
        Assert.Equal(("record.read", "care-context", "cc-0"), (entry.Action, entry.Resource.Type, entry.Resource.Id));
        Assert.Equal(("CAREMGT", "consent-0", "req-0"), (entry.Purpose, entry.ConsentId, entry.RequestId));
        Assert.Equal("2026-12-03T09:00:00.0000000Z", entry.At);
    }

    [Fact]
    public async Task GivenTwoInstancesAppendingConcurrently_WhenAllFinish_ThenTheChainNeverForks()
    {
        var other = new AuditTrail(rig.Store, rig.Time);
        var writers = Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            (i % 2 == 0 ? rig.Trail : other).RecordAsync(AuditRig.Read(AuditRig.Chain, i), CancellationToken.None)));

        await Task.WhenAll(writers);

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), rig.Entries().Keys);
        Assert.True((await rig.VerifyAsync()).Intact);
        Assert.Equal(40, rig.Store.Appends);
    }

    [Fact]
    public async Task GivenACachedHeadThatAnotherInstanceMovedOn_WhenRecording_ThenTheConflictIsRetriedOnTheNewHead()
    {
        await rig.AppendAsync(1);
        await new AuditTrail(rig.Store, rig.Time).RecordAsync(AuditRig.Read(AuditRig.Chain, 9), CancellationToken.None);

        var entry = await rig.Trail.RecordAsync(AuditRig.Read(AuditRig.Chain, 10), CancellationToken.None);

        Assert.Equal(3, entry.Seq);
        Assert.Equal(1, rig.Store.Conflicts);
        Assert.True((await rig.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task GivenTheStoreFails_WhenRecording_ThenTheFailureReachesTheCaller()
    {
        rig.Store.FailAppendsWith = new TimeoutException("cosmos is away");

        await Assert.ThrowsAsync<TimeoutException>(() => rig.Trail.RecordAsync(AuditRig.Read(AuditRig.Chain, 1), CancellationToken.None));
    }

    [Fact]
    public async Task GivenAnInvalidChainKey_WhenRecording_ThenItIsRefused()
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => rig.Trail.RecordAsync(AuditRig.Read("patient:../x", 1), CancellationToken.None));

        Assert.Equal(AuditErrors.InvalidChain, e.Code);
    }

    [Fact]
    public void GivenAHyphenatedAbhaNumber_WhenKeyed_ThenItIsThePatientsOneChain() =>
        Assert.Equal(AuditChainKey.Patient("91123456789012"), AuditChainKey.Patient("91-1234-5678-9012"));

    [Fact]
    public void GivenMembersOutOfOrderAndEscapes_WhenCanonicalised_ThenJcsBytesResult()
    {
        var value = JsonDocument.Parse("{\"b\": 12, \"a\": \"x\\n\\u0001\\\"é\", \"c\": [true, null, {\"z\":1,\"y\":2}]}").RootElement;

        var text = Encoding.UTF8.GetString(AuditCanonicalJson.Serialize(value));

        Assert.Equal("{\"a\":\"x\\n\\u0001\\\"é\",\"b\":12,\"c\":[true,null,{\"y\":2,\"z\":1}]}", text);
    }

    [Theory]
    [InlineData("{\"a\":1.5}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":9007199254740993}")]
    public void GivenValuesTheCanonicalFormDoesNotCarry_WhenCanonicalised_ThenTheyAreRefused(string json) =>
        Assert.Throws<FormatException>(() => AuditCanonicalJson.Serialize(JsonDocument.Parse(json).RootElement));

    [Fact]
    public void GivenAKnownEntry_WhenHashed_ThenTheHashIsSha256OfItsCanonicalForm()
    {
        var entry = JsonDocument.Parse("{\"seq\":1,\"chain\":\"platform\"}").RootElement;

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("{\"chain\":\"platform\",\"seq\":1}"u8)),
            AuditHashing.HashOf(entry));
    }
}
