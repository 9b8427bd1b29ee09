using Ndhm.Linking;

namespace Ndhm.UnitTests.Linking;

public sealed class HipInitiatedLinkingTests
{
    private readonly LinkingRig rig = new();

    private async Task<string> TokenAsync(HipEndpoint hip)
    {
        await rig.Hips.GenerateTokenAsync(hip, "req-1", new LinkTokenRequest(null, "asha@sbx", "asha  verma", "F", 1990), default);
        return rig.Bridge.Last<OnGenerateTokenMessage>(HipPaths.OnGenerateToken).LinkToken!;
    }

    [Fact]
    public async Task GivenMatchingDemographics_WhenAHipAsksForALinkToken_ThenTheCallbackCarriesIt_AndOnlyItsHashIsStored()
    {
        var token = await TokenAsync(LinkingRig.CityHospital);

        var callback = rig.Bridge.Last<OnGenerateTokenMessage>(HipPaths.OnGenerateToken);
        Assert.Equal(("asha@sbx", "req-1"), (callback.AbhaAddress, callback.Response.RequestId));
        var stored = await rig.Store.FindLinkTokenAsync(HipInitiatedLinkingService.Hash(token), default);
        Assert.Equal(rig.Time.GetUtcNow() + TimeSpan.FromHours(24), stored!.ExpiresAt);
    }

    [Fact]
    public async Task GivenDemographicsThatDoNotMatch_WhenAHipAsksForALinkToken_ThenTheCallbackIsAnError()
    {
        await rig.Hips.GenerateTokenAsync(LinkingRig.CityHospital, "req-1", new LinkTokenRequest("91123456789012", null, "Asha Verma", "F", 1991), default);

        var callback = rig.Bridge.Last<OnGenerateTokenMessage>(HipPaths.OnGenerateToken);
        Assert.Null(callback.LinkToken);
        Assert.Equal("ABDM-1051", callback.Error!.Code);
    }

    [Fact]
    public async Task GivenALinkToken_WhenTheHipAddsContexts_ThenTheyAreLinked_TheHipIsAcknowledged_AndThePatientIsTold()
    {
        var token = await TokenAsync(LinkingRig.CityHospital);

        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-2", token, LinkingRig.Found("OP-1"), default);

        var ack = rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnAddContexts);
        Assert.Equal(("SUCCESS", "req-2"), (ack.Acknowledgement!.Status, ack.Resp.RequestId));
        var links = Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
        Assert.Equal(LinkSource.Hip, Assert.Single(links.CareContexts).Source);
        Assert.Equal((LinkingRig.Asha, "city-hospital"), (rig.Notifier.Sent.Single().AbhaNumber, rig.Notifier.Sent.Single().HipId));
    }

    [Fact]
    public async Task GivenAnotherHipsToken_OrAnExpiredOne_WhenAddingContexts_ThenAbdm1066_AndNothingIsLinked()
    {
        var token = await TokenAsync(LinkingRig.CityHospital);

        await rig.Hips.AddContextsAsync(LinkingRig.Lab, "req-2", token, LinkingRig.Found("OP-1"), default);
        Assert.Equal("ABDM-1066", rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnAddContexts).Error!.Code);

        rig.Time.Advance(TimeSpan.FromHours(24));
        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-3", token, LinkingRig.Found("OP-1"), default);
        Assert.Equal("ABDM-1066", rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnAddContexts).Error!.Code);
        Assert.Empty(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
    }

    [Fact]
    public async Task GivenAUsersAuthAccessTokenIssuedToTheHip_WhenItAddsContexts_ThenTheyAreLinkedForThatPatient()
    {
        rig.AuthGrants.Issued["eyJhbGciOiJFUzI1NiJ9.auth.sig"] = new(LinkingRig.Asha, "asha@sbx", "city-hospital", "city-hospital",
            rig.Time.GetUtcNow().AddMinutes(30));

        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-2", "eyJhbGciOiJFUzI1NiJ9.auth.sig", LinkingRig.Found("OP-1"), default);

        Assert.Equal("SUCCESS", rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnAddContexts).Acknowledgement!.Status);
        Assert.Equal("OP-1", Assert.Single(Assert.Single(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default)).CareContexts).ReferenceNumber);
    }

    [Fact]
    public async Task GivenAUsersAuthAccessTokenOfAnotherHip_OrOneNeverIssued_OrExpired_WhenAddingContexts_ThenAbdm1066_AndNothingIsLinked()
    {
        rig.AuthGrants.Issued["lab.auth.sig"] = new(LinkingRig.Asha, "asha@sbx", "lab-one", "lab-one", rig.Time.GetUtcNow().AddMinutes(30));
        rig.AuthGrants.Issued["old.auth.sig"] = new(LinkingRig.Asha, "asha@sbx", "city-hospital", "city-hospital", rig.Time.GetUtcNow().AddMinutes(-1));

        foreach (var token in new[] { "lab.auth.sig", "forged.auth.sig", "old.auth.sig" })
        {
            await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-" + token, token, LinkingRig.Found("OP-1"), default);
            Assert.Equal("ABDM-1066", rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnAddContexts).Error!.Code);
        }

        Assert.Empty(await rig.Patients.ListLinksAsync(LinkingRig.Asha, default));
    }

    [Fact]
    public async Task GivenALinkedContext_WhenAddedAgain_ThenAbdm1056()
    {
        var token = await TokenAsync(LinkingRig.CityHospital);
        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-2", token, LinkingRig.Found("OP-1"), default);

        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-3", token, LinkingRig.Found("OP-1"), default);

        Assert.Equal("ABDM-1056", rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnAddContexts).Error!.Code);
    }

    [Fact]
    public async Task GivenALinkedContext_WhenTheHipNotifiesNewData_ThenThePatientIsTold_AndAnUnlinkedOneIsAnError()
    {
        var token = await TokenAsync(LinkingRig.CityHospital);
        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-2", token, LinkingRig.Found("OP-1"), default);

        await rig.Hips.NotifyAsync(LinkingRig.CityHospital, "req-3", new ContextNotification("asha@sbx", "MRN-7", "OP-1", ["Prescription"], "city-hospital"), default);
        Assert.Equal("SUCCESS", rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnContextNotify).Acknowledgement!.Status);
        Assert.Equal(2, rig.Notifier.Sent.Count);

        await rig.Hips.NotifyAsync(LinkingRig.Lab, "req-4", new ContextNotification("asha@sbx", "MRN-7", "OP-1", null, "lab-one"), default);
        Assert.NotNull(rig.Bridge.Last<AcknowledgementMessage>(HipPaths.OnContextNotify).Error);
        Assert.Equal(2, rig.Notifier.Sent.Count);
    }

    [Fact]
    public async Task GivenALinkedCareContext_WhenTheHipNotifiesNewData_ThenTheDataListenersHearOfIt_KeyedByTheDate_OrTheRequestIdWithoutOne()
    {
        var token = await TokenAsync(LinkingRig.CityHospital);
        await rig.Hips.AddContextsAsync(LinkingRig.CityHospital, "req-2", token, LinkingRig.Found("OP-1"), default);
        var date = new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero);

        await rig.Hips.NotifyAsync(LinkingRig.CityHospital, "req-3", new ContextNotification("asha@sbx", "MRN-7", "OP-1", ["Prescription"], "city-hospital", date), default);
        await rig.Hips.NotifyAsync(LinkingRig.CityHospital, "req-4", new ContextNotification("asha@sbx", "MRN-7", "OP-1", null, "city-hospital"), default);
        await rig.Hips.NotifyAsync(LinkingRig.CityHospital, "req-5", new ContextNotification("asha@sbx", "MRN-7", "OP-404", null, "city-hospital"), default);

        Assert.Equal(2, rig.DataNotices.Told.Count);
        var dated = rig.DataNotices.Told[0];
        Assert.Equal((LinkingRig.Asha, "city-hospital", "MRN-7", "OP-1", date.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            (dated.AbhaNumber, dated.HipId, dated.PatientReference, dated.CareContextReference, dated.NoticeKey));
        Assert.Equal(["Prescription"], dated.HiTypes);
        Assert.Equal("req-4", rig.DataNotices.Told[1].NoticeKey);
        Assert.Equal(["OPConsultation"], rig.DataNotices.Told[1].HiTypes);
    }
}
