using Ndhm.Linking;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Linking;

public sealed class PlatformCareContextLinkingTests
{
    private const string Facility = "IN3610000001";
    private readonly LinkingRig rig = new();

    private PlatformCareContextLinking Linking =>
        new(rig.Store, new FixedPatients(), rig.Notifier, new LinkingAudit(rig.Audit, new NoCurrentActor()), rig.Options, rig.Time);

    private static CareContext Consultation(string id = "1") => new("TC-" + id, "Teleconsultation with Anita Sharma, 3 Dec 2026", ["OPConsultation"]);

    [Fact]
    public async Task GivenNoLinksAtTheFacility_WhenTheRecordIsLinked_ThenTheFacilityListsIt_AsThePlatformsCareContext_AndThePatientIsTold()
    {
        var linked = await Linking.LinkAsync(LinkingRig.Asha, Facility, Consultation(), default);

        Assert.True(linked);
        var links = Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
        Assert.Equal((Facility, PlatformHip.PartnerId, "asha@sbx", "Asha Verma"), (links.HipId, links.PartnerId, links.PatientReference, links.PatientDisplay));
        var context = Assert.Single(links.CareContexts);
        Assert.Equal(("TC-1", LinkSource.Platform, rig.Time.GetUtcNow()), (context.ReferenceNumber, context.Source, context.LinkedAt));
        Assert.Equal(["OPConsultation"], context.HiTypes!);
        var notice = Assert.Single(rig.Notifier.Sent);
        Assert.Equal((LinkingRig.Asha, Facility), (notice.AbhaNumber, notice.HipId));
        Assert.Single(rig.Audit.Events, e => e.Action == "links.add" && e.Resource.Id == Facility + "/TC-1");
    }

    [Fact]
    public async Task GivenTheSameRecord_WhenLinkedAgain_ThenNothingChanges_NoSecondNotice_NoSecondAuditEntry()
    {
        await Linking.LinkAsync(LinkingRig.Asha, Facility, Consultation(), default);

        var again = await Linking.LinkAsync(LinkingRig.Asha, Facility, Consultation(), default);

        Assert.False(again);
        Assert.Single(Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default)).CareContexts);
        Assert.Single(rig.Notifier.Sent);
        Assert.Single(rig.Audit.Events, e => e.Action == "links.add");
    }

    [Fact]
    public async Task GivenAHipPartnersLinksAtTheFacility_WhenTheRecordIsLinked_ThenItJoinsThem_KeepingTheirPartnerAndPatientReference()
    {
        await rig.Store.SaveLinksAsync(new CareContextLinks
        {
            AbhaNumber = LinkingRig.Asha, AbhaAddress = "asha@sbx", HipId = Facility, PartnerId = "city-hmis", PatientReference = "MRN-7",
            PatientDisplay = "Asha V", CareContexts = [new LinkedContext("OP-1", "OPD visit", null, rig.Time.GetUtcNow(), LinkSource.Hip)],
        }, null, default);

        await Linking.LinkAsync(LinkingRig.Asha, Facility, Consultation(), default);

        var links = Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
        Assert.Equal(("city-hmis", "MRN-7", "Asha V"), (links.PartnerId, links.PatientReference, links.PatientDisplay));
        Assert.Equal(["OP-1", "TC-1"], links.CareContexts.Select(c => c.ReferenceNumber));
    }

    [Fact]
    public async Task GivenAPlatformCareContext_WhenThePatientUnlinksIt_ThenItIsGone_AndNoBridgeIsCalled()
    {
        await Linking.LinkAsync(LinkingRig.Asha, Facility, Consultation(), default);

        await rig.Patients.UnlinkAsync(LinkingRig.Asha, Facility, "TC-1", default);

        Assert.Empty((await rig.Patients.ListLinksAsync(LinkingRig.Asha, default)).SelectMany(l => l.CareContexts));
        Assert.Empty(rig.Bridge.Sent);
    }

    [Fact]
    public async Task GivenANumberNoLiveAccountHolds_WhenLinking_ThenNothingIsLinked_AndNoOneIsTold()
    {
        var linked = await Linking.LinkAsync("91000000000000", Facility, Consultation(), default);

        Assert.False(linked);
        Assert.Empty(await rig.Patients.ListLinksAsync("91000000000000", default));
        Assert.Empty(rig.Notifier.Sent);
    }
}
