using Ndhm.Phr;
using Ndhm.Phr.Consents;

namespace Ndhm.UnitTests.Phr;

public sealed class PhrSharingTests
{
    private static ConsentGrant Grant(string artefact, DateTimeOffset until) => new(artefact, "request-1", "IN2810000001", "Dr. Manju Rao",
        "IN2810000002", "CAREMGT", "Care management", ["Prescription"], new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), "VIEW", until, until, Emergency: false);

    [Fact]
    public async Task GivenGrantsEndingAtDifferentTimes_WhenThePatientAsksWhoCanSeeWhat_ThenOnlyThoseStillRunningAreShown_AndTheReadIsAudited()
    {
        var rig = new PhrRig();
        rig.Grants.Add(Grant("ended", rig.Time.GetUtcNow().AddMinutes(-1)));
        rig.Grants.Add(Grant("running", rig.Time.GetUtcNow().AddDays(3)));

        var now = await rig.Service.ListSharingAsync(PhrRig.Patient, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromDays(4));
        var later = await rig.Service.ListSharingAsync(PhrRig.Patient, CancellationToken.None);

        Assert.Equal("running", Assert.Single(now).ConsentArtefactId);
        Assert.Empty(later);
        Assert.Equal(["listed 1", "listed 0"], rig.Audit.Events.Where(e => e.Action == PhrAudit.SharingRead).Select(e => e.Outcome));
    }
}
