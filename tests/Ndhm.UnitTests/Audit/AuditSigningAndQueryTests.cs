using Ndhm.Audit;
using Ndhm.Core.Errors;

namespace Ndhm.UnitTests.Audit;

public sealed class AuditSigningAndQueryTests : IDisposable
{
    private readonly AuditRig rig = new();

    public void Dispose() => rig.Dispose();

    [Fact]
    public async Task GivenSignedHeadsThatDidNotMove_WhenSigningAgain_ThenOnlyTheDigestIsSigned()
    {
        await rig.AppendAsync(2);
        await rig.AppendAsync(1, AuditChainKey.Platform);
        var first = await rig.Signing.SignAsync(CancellationToken.None);
        await rig.AppendAsync(1, AuditChainKey.Platform);

        var second = await rig.Signing.SignAsync(CancellationToken.None);

        Assert.Equal((2, 2), (first.Chains, first.HeadsSigned));
        Assert.Equal((2, 1), (second.Chains, second.HeadsSigned));
        Assert.Equal("2026-12-03", second.DigestDay);
    }

    [Fact]
    public async Task GivenADigestedChainDeleted_WhenTheDigestIsVerified_ThenTheChainIsNamed()
    {
        await rig.AppendAsync(2);
        await rig.AppendAsync(3, AuditChainKey.Platform);
        await rig.Signing.SignAsync(CancellationToken.None);
        Assert.True((await rig.Queries.VerifyDigestAsync(CancellationToken.None)).Intact);
        rig.Store.Chains.Remove(AuditRig.Chain);
        rig.Store.Heads.Remove(AuditRig.Chain);

        var report = await rig.Queries.VerifyDigestAsync(CancellationToken.None);

        Assert.False(report.Intact);
        Assert.Equal(AuditRig.Chain, Assert.Single(report.BadChains).Chain);
    }

    [Fact]
    public async Task GivenAPatientTrail_WhenPaged_ThenNewestComesFirstAndTheTokenWalksToTheOldest()
    {
        await rig.AppendAsync(5);

        var first = await rig.Queries.PatientTrailAsync(AuditRig.Abha, 2, null, CancellationToken.None);
        var second = await rig.Queries.PatientTrailAsync(AuditRig.Abha, 2, first.ContinuationToken, CancellationToken.None);
        var third = await rig.Queries.PatientTrailAsync(AuditRig.Abha, 2, second.ContinuationToken, CancellationToken.None);

        Assert.Equal([5L, 4L, 3L, 2L, 1L], first.Entries.Concat(second.Entries).Concat(third.Entries).Select(e => e.Seq));
        Assert.Null(third.ContinuationToken);
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(101, null)]
    [InlineData(10, "not-a-token")]
    public async Task GivenABadPageRequest_WhenPaged_ThenItIsRefused(int size, string? token)
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => rig.Queries.PatientTrailAsync(AuditRig.Abha, size, token, CancellationToken.None));

        Assert.Equal(AuditErrors.InvalidPage, e.Code);
    }

    [Fact]
    public async Task GivenAnExport_WhenParsedBack_ThenItVerifiesTheSame()
    {
        await rig.AppendAsync(3);
        await rig.Signing.SignAsync(CancellationToken.None);
        var export = await rig.Queries.ExportAsync(AuditRig.Chain, CancellationToken.None);

        var json = System.Text.Json.JsonSerializer.Serialize(export, Ndhm.Core.Json.NdhmJson.Options);
        var report = AuditExport.Parse(json).Verify();

        Assert.True(report.Intact, report.FirstProblem?.Detail);
        Assert.Equal(3, report.SignedSeq);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GivenAChainTamperedAfterSigning_WhenSigningAgain_ThenItsHeadIsNotSignedAndVerificationStillNamesIt(bool appendedSince)
    {
        await rig.AppendAsync(3);
        await rig.Signing.SignAsync(CancellationToken.None);
        rig.Alter(3, "action", "record.write", rehash: true);
        if (appendedSince) await rig.AppendAsync(1);

        var run = await rig.Signing.SignAsync(CancellationToken.None);

        Assert.Equal([AuditRig.Chain], run.Refused);
        Assert.Equal(0, run.HeadsSigned);
        Assert.False((await rig.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task GivenANeverSignedChainWithABrokenLink_WhenSigning_ThenItIsRefused()
    {
        await rig.AppendAsync(3);
        rig.Alter(2, "action", "record.write", rehash: true);

        var run = await rig.Signing.SignAsync(CancellationToken.None);

        Assert.Equal([AuditRig.Chain], run.Refused);
        Assert.Empty(rig.Store.Heads);
    }
}
