using System.Text.Json.Nodes;
using Ndhm.Audit;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.Audit;

/// <summary>Each way of tampering with a chain is detected and the first bad entry named.</summary>
public sealed class AuditChainVerifierTests : IDisposable
{
    private readonly AuditRig rig = new();

    public void Dispose() => rig.Dispose();

    [Fact]
    public async Task GivenAnUntouchedSignedChain_WhenVerified_ThenItIsIntactAndSignedThroughItsHead()
    {
        await rig.AppendAsync(5);
        await rig.Signing.SignAsync(CancellationToken.None);

        var report = await rig.VerifyAsync();

        Assert.True(report.Intact, report.FirstProblem?.Detail);
        Assert.Equal(5, report.Entries);
        Assert.Equal(5, report.SignedSeq);
        Assert.Equal(rig.Entries()[5].Hash, report.HeadHash);
    }

    [Fact]
    public async Task GivenAnUnsignedChain_WhenVerified_ThenItIsIntactWithNoSignedPlace()
    {
        await rig.AppendAsync(3);

        var report = await rig.VerifyAsync();

        Assert.True(report.Intact);
        Assert.Null(report.SignedSeq);
    }

    [Fact]
    public async Task GivenAnEntryWhoseContentChanged_WhenVerified_ThenThatEntryIsAltered()
    {
        await rig.AppendAsync(5);
        rig.Alter(3, "action", "record.write");

        var report = await rig.VerifyAsync();

        AssertFirstProblem(report, AuditProblems.EntryAltered, 3);
        Assert.Equal(AuditEntryId.For(AuditRig.Chain, 3), report.FirstProblem!.EntryId);
    }

    [Fact]
    public async Task GivenAnEntryChangedAndRehashed_WhenVerified_ThenTheNextEntryNoLongerLinks()
    {
        await rig.AppendAsync(5);
        rig.Alter(2, "purpose", "MARKETING", rehash: true);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.LinkBroken, 3);
    }

    [Fact]
    public async Task GivenAnEntryWithAnAddedProperty_WhenVerified_ThenItIsAltered()
    {
        await rig.AppendAsync(3);
        rig.Alter(1, "note", "added later");

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.EntryAltered, 1);
    }

    [Fact]
    public async Task GivenAMiddleEntryRemoved_WhenVerified_ThenItIsNamedMissing()
    {
        await rig.AppendAsync(5);
        rig.Entries().Remove(4);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.EntryMissing, 4);
    }

    [Fact]
    public async Task GivenTheLatestEntriesRemovedAfterSigning_WhenVerified_ThenTheFirstRemovedIsNamedMissing()
    {
        await rig.AppendAsync(5);
        await rig.Signing.SignAsync(CancellationToken.None);
        rig.Entries().Remove(5);
        rig.Entries().Remove(4);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.EntryMissing, 4);
    }

    [Fact]
    public async Task GivenTwoEntriesSwappedInAnExport_WhenVerified_ThenTheFirstOutOfPlaceIsNamed()
    {
        await rig.AppendAsync(5);
        var export = await rig.Queries.ExportAsync(AuditRig.Chain, CancellationToken.None);
        var entries = export.Entries.ToList();
        (entries[1], entries[2]) = (entries[2], entries[1]);

        var report = (export with { Entries = entries }).Verify();

        AssertFirstProblem(report, AuditProblems.EntryOutOfOrder, 2);
    }

    [Fact]
    public async Task GivenEntriesRenumberedToSwapTheirPlaces_WhenVerified_ThenTheFirstIsNamed()
    {
        await rig.AppendAsync(5);
        var second = JsonNode.Parse(rig.Entries()[2].Entry.GetRawText())!.AsObject();
        var third = JsonNode.Parse(rig.Entries()[3].Entry.GetRawText())!.AsObject();
        second["seq"] = 3;
        third["seq"] = 2;
        rig.Entries()[2] = AuditRig.Sealed(third);
        rig.Entries()[3] = AuditRig.Sealed(second);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.LinkBroken, 2);
    }

    [Fact]
    public async Task GivenAnEntryInsertedAndTheRestRenumbered_WhenVerified_ThenTheEntryAfterTheInsertIsNamed()
    {
        await rig.AppendAsync(4);
        var entries = rig.Entries();
        var forged = JsonNode.Parse(entries[2].Entry.GetRawText())!.AsObject();
        forged["seq"] = 3;
        forged["prevHash"] = entries[2].Hash;
        forged["action"] = "record.read.forged";
        var shifted = entries.Where(e => e.Key >= 3).OrderByDescending(e => e.Key).ToList();
        foreach (var (seq, entry) in shifted)
        {
            var node = JsonNode.Parse(entry.Entry.GetRawText())!.AsObject();
            node["seq"] = seq + 1;
            entries[seq + 1] = AuditRig.Sealed(node);
        }
        entries[3] = AuditRig.Sealed(forged);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.LinkBroken, 4);
    }

    [Fact]
    public async Task GivenTheTailRewrittenWithRecomputedHashes_WhenVerified_ThenTheSignedHeadNoLongerMatches()
    {
        await rig.AppendAsync(4);
        await rig.Signing.SignAsync(CancellationToken.None);
        // An insider with database write access rewrites entry 4 and recomputes its hash: the links all hold.
        rig.Alter(4, "consentId", "consent-forged", rehash: true);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.HeadMismatch, 4);
    }

    [Fact]
    public async Task GivenAHeadSignedWithAnotherKey_WhenVerified_ThenTheSignatureIsInvalid()
    {
        await rig.AppendAsync(3);
        rig.Alter(3, "outcome", "forged", rehash: true);
        using var attackerKeys = new InMemorySigningKeys();
        var head = rig.Entries()[3];
        var forged = await new AuditJws(attackerKeys).SignAsync(new AuditHeadClaim(AuditRig.Chain, 3, head.Hash, "2026-12-03T09:00:00.000Z").ToJson(), CancellationToken.None);
        await rig.Store.SaveSignedHeadAsync(new SignedAuditHead(AuditRig.Chain, 3, head.Hash, forged), CancellationToken.None);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.HeadSignatureInvalid, 3);
    }

    [Fact]
    public async Task GivenAHeadPayloadEditedAfterSigning_WhenVerified_ThenTheSignatureIsInvalid()
    {
        await rig.AppendAsync(3);
        await rig.Signing.SignAsync(CancellationToken.None);
        var signed = rig.Store.Heads[AuditRig.Chain];
        var parts = signed.Jws.Split('.');
        var payload = JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        payload["seq"] = 2;
        var edited = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];
        await rig.Store.SaveSignedHeadAsync(signed with { Jws = edited }, CancellationToken.None);

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.HeadSignatureInvalid, 3);
    }

    [Fact]
    public async Task GivenAnEntryMovedFromAnotherChain_WhenVerified_ThenItIsNamed()
    {
        var other = Ndhm.Audit.AuditChainKey.Patient("91000000000001");
        await rig.AppendAsync(2);
        await rig.AppendAsync(2, other);
        rig.Entries()[2] = rig.Entries(other)[2];

        AssertFirstProblem(await rig.VerifyAsync(), AuditProblems.WrongChain, 2);
    }

    private static void AssertFirstProblem(AuditChainReport report, string code, long seq)
    {
        Assert.False(report.Intact);
        Assert.NotNull(report.FirstProblem);
        Assert.Equal((code, seq), (report.FirstProblem!.Code, report.FirstProblem.Seq));
    }
}
