using System.Collections.Concurrent;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Consent;

/// <summary>Subscriptions: what a request may say, what the patient may approve, the life cycle, and which new links are in scope.</summary>
public sealed class SubscriptionValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateRangeInput Period = new(Now.AddDays(-1), Now.AddDays(180));

    public static SubscriptionRequestInput Request(string purpose = "CAREMGT", string patient = ConsentRig.PatientAddress, string? hiu = ConsentRig.Hiu,
        string?[]? hips = null, string?[]? categories = null, DateRangeInput? period = null) =>
        new(new PurposeInput("Follow-up care", purpose, null), new IdInput(patient), hiu is null ? null : new IdInput(hiu),
            (hips ?? [ConsentRig.Hip]).Select(h => (IdInput?)new IdInput(h)).ToList(), categories ?? ["LINK", "DATA"], period ?? Period);

    [Fact]
    public void GivenAWellFormedRequest_WhenValidated_ThenItKeepsTheScopeAsAsked()
    {
        var detail = SubscriptionValidation.Validate(Request(patient: "Ravi.Kumar@sbx"), Now);

        Assert.Equal(("CAREMGT", "ravi.kumar@sbx", ConsentRig.Hiu), (detail.Purpose.Code, detail.Patient.Id, detail.Hiu.Id));
        Assert.Equal([new IdReference(ConsentRig.Hip)], detail.Hips);
        Assert.Equal(["LINK", "DATA"], detail.Categories);
        Assert.Equal(Now.AddDays(180), detail.Period.To);
    }

    public static TheoryData<string, SubscriptionRequestInput?, string, string> Invalid() => new()
    {
        { "missing", null, SubscriptionErrors.InvalidSubscriptionRequest, "subscription" },
        { "BTG purpose", Request(purpose: "BTG"), ConsentErrors.InvalidPurpose, "subscription.purpose.code" },
        { "unknown purpose", Request(purpose: "SHOPPING"), ConsentErrors.InvalidPurpose, "subscription.purpose.code" },
        { "patient not an ABHA address", Request(patient: "12345"), ConsentErrors.InvalidPatient, "subscription.patient.id" },
        { "no HIU", Request(hiu: null), SubscriptionErrors.InvalidSubscriptionRequest, "subscription.hiu.id" },
        { "HIP not a facility", Request(hips: ["hospital"]), ConsentErrors.InvalidHip, "subscription.hips[0].id" },
        { "HIP is the HIU", Request(hips: [ConsentRig.Hiu]), ConsentErrors.HipIsHiu, "subscription.hips[0].id" },
        { "no category", Request(categories: []), SubscriptionErrors.InvalidCategory, "subscription.categories" },
        { "unknown category", Request(categories: ["LINK", "EVERYTHING"]), SubscriptionErrors.InvalidCategory, "subscription.categories" },
        { "period reversed", Request(period: new DateRangeInput(Now.AddDays(2), Now.AddDays(1))), SubscriptionErrors.InvalidPeriod, "subscription.period" },
        { "period missing its end", Request(period: new DateRangeInput(Now, null)), SubscriptionErrors.InvalidPeriod, "subscription.period" },
        { "period over", Request(period: new DateRangeInput(Now.AddDays(-9), Now.AddDays(-1))), SubscriptionErrors.InvalidPeriod, "subscription.period.to" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void GivenABadRequest_WhenValidated_ThenItIsRefusedNamingTheFieldWithAnAbdmCode(string because, SubscriptionRequestInput? input, string code, string field)
    {
        var error = Assert.Throws<DomainException>(() => SubscriptionValidation.Validate(input, Now));

        Assert.True(error.Code == code, because + ": " + error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(field, error.Extensions![ConsentErrors.Field]);
        Assert.StartsWith("ABDM-", (string)error.Extensions[ConsentErrors.AbdmCode]!);
    }

    [Fact]
    public void GivenNoChoice_WhenThePatientApproves_ThenEachRequestedHipIsASourceAsAsked_AndNoHipsMeansAnyHip()
    {
        var named = SubscriptionValidation.Validate(Request(hips: [ConsentRig.Hip, ConsentRig.OtherHip]), Now);
        var any = SubscriptionValidation.Validate(Request(hips: []), Now);

        Assert.Equal([ConsentRig.Hip, ConsentRig.OtherHip], SubscriptionValidation.Narrow(named, null).Select(s => s.Hip!.Id));
        var source = Assert.Single(SubscriptionValidation.Narrow(any, new SubscriptionGrantInput([])));
        Assert.Null(source.Hip);
        Assert.Equal(["LINK", "DATA"], source.Categories);
    }

    [Fact]
    public void GivenANarrowerChoice_WhenThePatientApproves_ThenTheSourcesAreWhatTheyChose()
    {
        var request = SubscriptionValidation.Validate(Request(hips: [ConsentRig.Hip, ConsentRig.OtherHip]), Now);

        var sources = SubscriptionValidation.Narrow(request, new SubscriptionGrantInput(
            [new SubscriptionSourceInput(new IdInput(ConsentRig.OtherHip), ["LINK"], new DateRangeInput(Now, Now.AddDays(30)))]));

        var source = Assert.Single(sources);
        Assert.Equal((ConsentRig.OtherHip, "LINK", Now.AddDays(30)), (source.Hip!.Id, Assert.Single(source.Categories), source.Period.To));
    }

    public static TheoryData<string, SubscriptionSourceInput, string> Wider() => new()
    {
        { "a HIP not requested", new SubscriptionSourceInput(new IdInput("IN2810000007"), null, null), "sources[0].hip.id" },
        { "any HIP when HIPs were named", new SubscriptionSourceInput(null, null, null), "sources[0].hip.id" },
        { "a category not requested", new SubscriptionSourceInput(new IdInput(ConsentRig.Hip), ["DATA"], null), "sources[0].categories" },
        { "an earlier start", new SubscriptionSourceInput(new IdInput(ConsentRig.Hip), null, new DateRangeInput(Now.AddDays(-30), Now.AddDays(1))), "sources[0].period.from" },
        { "a later end", new SubscriptionSourceInput(new IdInput(ConsentRig.Hip), null, new DateRangeInput(Now, Now.AddDays(400))), "sources[0].period.to" },
    };

    [Theory]
    [MemberData(nameof(Wider))]
    public void GivenAWiderChoice_WhenThePatientApproves_ThenGrantWidensNamesTheField(string because, SubscriptionSourceInput source, string field)
    {
        var request = SubscriptionValidation.Validate(Request(categories: ["LINK"]), Now);

        var error = Assert.Throws<DomainException>(() => SubscriptionValidation.Narrow(request, new SubscriptionGrantInput([source])));

        Assert.True(error.Code == ConsentErrors.GrantWidens, because + ": " + error.Code);
        Assert.Equal(field, error.Extensions![ConsentErrors.Field]);
    }
}

public sealed class SubscriptionRecordTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly ConsentActor Patient = new(ConsentRig.PatientNumber, "patient");

    private static SubscriptionRecord Requested(string?[]? hips = null, string?[]? categories = null) =>
        SubscriptionRecord.Create("sub-req", ConsentRig.HiuPartner, ConsentRig.PatientNumber,
            SubscriptionValidation.Validate(SubscriptionValidationTests.Request(hips: hips, categories: categories,
                period: new DateRangeInput(Now, Now.AddDays(30))), Now), Now, Now.AddHours(72), new ConsentActor(ConsentRig.HiuPartner, "hiu"));

    private static SubscriptionRecord Granted(string?[]? hips = null, string?[]? categories = null)
    {
        var requested = Requested(hips, categories);
        return requested.Apply(ConsentStatus.Granted, Now, Patient, null, "sub-1", SubscriptionValidation.Narrow(requested.Detail, null));
    }

    [Fact]
    public void GivenARequest_WhenGrantedThenRevoked_ThenEachStepIsAnEventAndTheSubscriptionIdStays()
    {
        var revoked = Granted().Apply(ConsentStatus.Revoked, Now.AddDays(1), Patient, null);

        Assert.Equal([ConsentStatus.Requested, ConsentStatus.Granted, ConsentStatus.Revoked], revoked.Events.Select(e => e.Status));
        Assert.Equal([1, 2, 3], revoked.Events.Select(e => e.Seq));
        Assert.Equal("sub-1", revoked.SubscriptionId);
        Assert.Null(revoked.DueAt);
    }

    public static TheoryData<string, ConsentStatus, ConsentStatus, string> Refused() => new()
    {
        { "revoke a request", ConsentStatus.Requested, ConsentStatus.Revoked, SubscriptionErrors.SubscriptionNotGranted },
        { "grant twice", ConsentStatus.Granted, ConsentStatus.Granted, SubscriptionErrors.SubscriptionNotPending },
        { "deny a grant", ConsentStatus.Granted, ConsentStatus.Denied, SubscriptionErrors.SubscriptionNotPending },
        { "grant a denial", ConsentStatus.Denied, ConsentStatus.Granted, SubscriptionErrors.SubscriptionNotPending },
        { "revoke twice", ConsentStatus.Revoked, ConsentStatus.Revoked, SubscriptionErrors.SubscriptionNotGranted },
        { "revoke an expired one", ConsentStatus.Expired, ConsentStatus.Revoked, SubscriptionErrors.SubscriptionNotGranted },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void GivenAState_WhenATransitionTheMachineForbidsIsApplied_ThenItIsRefusedAndNothingChanges(string because, ConsentStatus from, ConsentStatus to, string code)
    {
        var record = from switch
        {
            ConsentStatus.Requested => Requested(),
            ConsentStatus.Granted => Granted(),
            ConsentStatus.Denied => Requested().Apply(ConsentStatus.Denied, Now, Patient, null),
            ConsentStatus.Revoked => Granted().Apply(ConsentStatus.Revoked, Now, Patient, null),
            _ => Granted().Apply(ConsentStatus.Expired, Now, ConsentActor.System("subscription-expiry"), "expired"),
        };

        var error = Assert.Throws<DomainException>(() => record.Apply(to, Now, Patient, null, "sub-2", record.Sources.Count > 0 ? record.Sources : null));

        Assert.True(error.Code == code, because + ": " + error.Code);
        Assert.Equal(from, record.Status);
    }

    [Fact]
    public void GivenRequestAndGrant_WhenDue_ThenTheRequestLifetimeAndThenThePeriodEndDecide()
    {
        Assert.Equal(Now.AddHours(72), Requested().DueAt);
        Assert.Equal(Now.AddDays(30), Granted().DueAt);
        Assert.True(Granted().IsDue(Now.AddDays(30)));
    }

    [Fact]
    public void GivenAGrantForOneHipAndLink_WhenALinkHappens_ThenOnlyThatHipInsideThePeriodIsInScope()
    {
        var granted = Granted(hips: [ConsentRig.Hip], categories: ["LINK"]);

        Assert.NotNull(granted.ScopeFor(ConsentRig.Hip, SubscriptionCategories.Link, Now.AddDays(1)));
        Assert.Null(granted.ScopeFor(ConsentRig.OtherHip, SubscriptionCategories.Link, Now.AddDays(1)));
        Assert.Null(granted.ScopeFor(ConsentRig.Hip, SubscriptionCategories.Data, Now.AddDays(1)));
        Assert.Null(granted.ScopeFor(ConsentRig.Hip, SubscriptionCategories.Link, Now.AddDays(31)));
        Assert.Null(granted.ScopeFor(ConsentRig.Hip, SubscriptionCategories.Link, Now.AddSeconds(-1)));
    }

    [Fact]
    public void GivenANotificationToldEarlier_WhenItIsToBeSentAgain_ThenEventsOnlyWhileGranted_AndDecisionsWhileStillCurrent()
    {
        var granted = Granted();
        var revoked = granted.Apply(ConsentStatus.Revoked, Now, Patient, null);
        var expired = granted.Apply(ConsentStatus.Expired, Now, ConsentActor.System("consent-end"), "consent c-1 expired");
        var denied = Requested().Apply(ConsentStatus.Denied, Now, Patient, null);

        Assert.Equal((true, true), (granted.StillTells(isEvent: true), granted.StillTells(isEvent: false)));
        Assert.Equal((false, false), (revoked.StillTells(isEvent: true), revoked.StillTells(isEvent: false)));
        Assert.Equal((false, false), (expired.StillTells(isEvent: true), expired.StillTells(isEvent: false)));
        Assert.Equal((false, true), (denied.StillTells(isEvent: true), denied.StillTells(isEvent: false)));
    }

    [Fact]
    public void GivenAGrantForAnyHip_WhenALinkHappensAnywhere_ThenItIsInScope_UntilRevoked()
    {
        var granted = Granted(hips: []);

        Assert.NotNull(granted.ScopeFor("IN2810000042", SubscriptionCategories.Link, Now.AddDays(1)));
        Assert.Null(Requested(hips: []).ScopeFor("IN2810000042", SubscriptionCategories.Link, Now.AddDays(1)));
        Assert.Null(granted.Apply(ConsentStatus.Revoked, Now, Patient, null).ScopeFor("IN2810000042", SubscriptionCategories.Link, Now.AddDays(1)));
    }

    [Fact]
    public void GivenTheSameLinkToldTwice_WhenItsEventIdIsMade_ThenItIsTheSameWhateverTheOrder_AndDiffersPerSubscription()
    {
        LinkedCareContextEvent a = new("P-1", "OP-1", []), b = new("P-1", "OP-2", []);

        Assert.Equal(SubscriptionManager.EventIdFor("s1", ConsentRig.Hip, [a, b]), SubscriptionManager.EventIdFor("s1", ConsentRig.Hip, [b, a]));
        Assert.NotEqual(SubscriptionManager.EventIdFor("s1", ConsentRig.Hip, [a]), SubscriptionManager.EventIdFor("s2", ConsentRig.Hip, [a]));
    }
}

/// <summary>The subscription manager over in-memory ports, with the consent rig's consents (the HIU's STREAM consent).</summary>
public sealed class SubscriptionManagerTests : IDisposable
{
    private readonly ConsentRig rig = new();
    private readonly InMemorySubscriptionStore store = new();
    private readonly RecordingSubscriptionNotifier notifier = new();
    private readonly InMemorySubscriptionOutbox outbox = new();
    private readonly SubscriptionManager manager;

    public SubscriptionManagerTests()
    {
        manager = new SubscriptionManager(store, notifier, rig.Store, new Patients(), rig.Manager, outbox, rig.Linked,
            new ConsentAudit(rig.Audit, new NoCurrentActor()), rig.Options, rig.Time);
        rig.Dependents.Target = new SubscriptionConsentEndings(store, notifier, new ConsentAudit(rig.Audit, new NoCurrentActor()), rig.Time);
    }

    public void Dispose() => rig.Dispose();

    private SubscriptionRequestInput Request(string?[]? hips = null) =>
        SubscriptionValidationTests.Request(hips: hips, period: new DateRangeInput(rig.Time.GetUtcNow(), rig.Time.GetUtcNow().AddDays(90)));

    private async Task<ConsentRecord> GrantConsentAsync(string accessMode, DateTimeOffset? eraseAt = null)
    {
        var request = ConsentRig.Request(eraseAt: eraseAt);
        var consent = await rig.CreateAsync(request with { Permission = request.Permission! with { AccessMode = accessMode } });
        return await rig.Manager.GrantAsync(rig.Patient, consent.Id, null, CancellationToken.None);
    }

    private async Task<SubscriptionRecord> GrantedSubscriptionAsync(string requestId)
    {
        var created = await manager.CreateAsync(ConsentRig.HiuPartner, requestId, Request(), CancellationToken.None);
        return await manager.GrantAsync(rig.Patient, created.Id, null, CancellationToken.None);
    }

    [Fact]
    public async Task GivenTwoStreamConsents_WhenTheHiuSubscribes_ThenTheRequestRestsOnTheOneGrantedLongest()
    {
        var shorter = await GrantConsentAsync("STREAM", eraseAt: rig.Time.GetUtcNow().AddDays(30));
        var longer = await GrantConsentAsync("QUERY", eraseAt: rig.Time.GetUtcNow().AddDays(300));

        var created = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request(), CancellationToken.None);

        Assert.Equal(longer.Id, created.ConsentRequestId);
        Assert.NotEqual(shorter.Id, created.ConsentRequestId);
    }

    [Fact]
    public async Task GivenASubscriptionUnderAConsent_WhenThePatientRevokesTheConsent_ThenTheSubscriptionIsRevokedAudited_AndNoLinkIsToldAfter()
    {
        var consent = await GrantConsentAsync("STREAM");
        var subscription = await GrantedSubscriptionAsync("r1");

        await rig.Manager.RevokeAsync(rig.Patient, consent.Artefacts[0].Id, CancellationToken.None);
        var told = await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.Hip, [new("P-1", "visit-9", [])], rig.Time.GetUtcNow(),
            CancellationToken.None);

        var ended = store.All.Single();
        Assert.Equal((ConsentStatus.Revoked, 0), (ended.Status, told));
        Assert.Equal(("system:consent-end", $"consent {consent.Id} revoked"), (ended.Events[^1].Actor.Subject, ended.Events[^1].Reason));
        Assert.Contains(rig.Audit.Events, e => e.Action == "subscription.revoked" && e.Resource.Id == subscription.Id);
        Assert.Equal([(subscription.Id, ConsentStatus.Granted)], notifier.Decisions);
    }

    [Fact]
    public async Task GivenAGrantedSubscriptionAndAPendingRequest_WhenTheirConsentExpires_ThenBothExpire_AndASubscriptionUnderAnotherConsentLives()
    {
        var expiring = await GrantConsentAsync("STREAM", eraseAt: rig.Time.GetUtcNow().AddDays(10));
        var granted = await GrantedSubscriptionAsync("r1");
        var pending = await manager.CreateAsync(ConsentRig.HiuPartner, "r2", Request(), CancellationToken.None);
        await GrantConsentAsync("QUERY", eraseAt: rig.Time.GetUtcNow().AddDays(300));
        var other = await GrantedSubscriptionAsync("r3");

        rig.Time.Advance(TimeSpan.FromDays(11));
        await rig.Manager.ExpireDueAsync(CancellationToken.None);

        Assert.Equal((expiring.Id, expiring.Id), (granted.ConsentRequestId, pending.ConsentRequestId));
        Assert.Equal(ConsentStatus.Expired, store.All.Single(r => r.Id == granted.Id).Status);
        Assert.Equal(ConsentStatus.Expired, store.All.Single(r => r.Id == pending.Id).Status);
        Assert.Equal(ConsentStatus.Granted, store.All.Single(r => r.Id == other.Id).Status);
    }

    [Fact]
    public async Task GivenAConsentThatEnded_WhenItsEndIsToldAgain_ThenNothingChangesAndNothingFails()
    {
        var consent = await GrantConsentAsync("STREAM");
        await GrantedSubscriptionAsync("r1");
        var revoked = await rig.Manager.RevokeAsync(rig.Patient, consent.Artefacts[0].Id, CancellationToken.None);
        var before = store.All.Single();

        await rig.Dependents.ConsentEndedAsync(revoked, CancellationToken.None);

        Assert.Equal(before, store.All.Single());
        Assert.Equal(3, before.Events.Count);
    }

    [Fact]
    public async Task GivenAConsentWhoseEndingFailed_WhenTheSweepRenotifies_ThenTheSubscriptionEnds()
    {
        var consent = await GrantConsentAsync("STREAM");
        await GrantedSubscriptionAsync("r1");
        var target = rig.Dependents.Target;
        rig.Dependents.Target = new Failing();
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Manager.RevokeAsync(rig.Patient, consent.Artefacts[0].Id, CancellationToken.None));
        var stillGranted = store.All.Single().Status;

        rig.Dependents.Target = target;
        rig.Time.Advance(rig.Options.RenotifyAfter + TimeSpan.FromSeconds(1));
        await rig.Manager.RenotifyAsync(CancellationToken.None);

        Assert.Equal((ConsentStatus.Granted, ConsentStatus.Revoked), (stillGranted, store.All.Single().Status));
    }

    [Fact]
    public void GivenARecordWithoutItsConsent_WhenAConsentEnds_ThenItRestsOnAnySubscribableConsentOfTheSameHiuAndFacilityOnly()
    {
        var now = rig.Time.GetUtcNow();
        var detail = SubscriptionValidation.Validate(Request(), now);
        var legacy = SubscriptionRecord.Create("s", ConsentRig.HiuPartner, ConsentRig.PatientNumber, detail, now, now.AddHours(1), rig.Patient.Actor);
        var recorded = legacy with { ConsentRequestId = "c-1" };
        ConsentRecord Consent(string id, string partner, string mode)
        {
            var input = ConsentRig.Request();
            var consentDetail = ConsentRequestValidation.Validate(input with { Permission = input.Permission! with { AccessMode = mode } }, now);
            return ConsentRecord.Create(id, partner, ConsentRig.PatientNumber, consentDetail, now, now.AddHours(1), rig.Patient.Actor, "sig");
        }

        Assert.True(legacy.RestsOn(Consent("c-2", ConsentRig.HiuPartner, "STREAM")));
        Assert.False(legacy.RestsOn(Consent("c-2", ConsentRig.HiuPartner, "VIEW")));
        Assert.False(legacy.RestsOn(Consent("c-2", "another-hiu", "STREAM")));
        Assert.True(recorded.RestsOn(Consent("c-1", ConsentRig.HiuPartner, "STREAM")));
        Assert.False(recorded.RestsOn(Consent("c-2", ConsentRig.HiuPartner, "STREAM")));
    }

    [Fact]
    public async Task GivenADataSubscriptionAndALinkOnlyOne_WhenTheHipTellsOfNewData_ThenOnlyTheDataOneIsTold_WithKnownHiTypes_OnceForTheSameNotice()
    {
        await GrantConsentAsync("STREAM");
        var dataOnly = await manager.CreateAsync(ConsentRig.HiuPartner, "r1",
            Request() with { Categories = ["DATA"] }, CancellationToken.None);
        var data = await manager.GrantAsync(rig.Patient, dataOnly.Id, null, CancellationToken.None);
        var linkOnly = await manager.CreateAsync(ConsentRig.HiuPartner, "r2", Request() with { Categories = ["LINK"] }, CancellationToken.None);
        await manager.GrantAsync(rig.Patient, linkOnly.Id, null, CancellationToken.None);
        LinkedCareContextEvent context = new("P-1", "visit-1", ["Prescription", "Horoscope"]);
        var now = rig.Time.GetUtcNow();

        var told = await manager.NewDataAsync(ConsentRig.PatientNumber, ConsentRig.Hip, context, now, "2026-12-03T09:30:00.0000000Z", CancellationToken.None);
        await manager.NewDataAsync(ConsentRig.PatientNumber, ConsentRig.Hip, context, now.AddSeconds(5), "2026-12-03T09:30:00.0000000Z", CancellationToken.None);
        await manager.NewDataAsync(ConsentRig.PatientNumber, ConsentRig.Hip, context, now, "2026-12-03T11:00:00.0000000Z", CancellationToken.None);
        var elsewhere = await manager.NewDataAsync(ConsentRig.PatientNumber, ConsentRig.OtherHip, context, now, "k", CancellationToken.None);
        var linked = await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.Hip, [new("P-1", "visit-3", [])], now, CancellationToken.None);

        Assert.Equal((1, 0, 1), (told, elsewhere, linked));
        Assert.All(notifier.Data, d => Assert.Equal((data.SubscriptionId, ConsentRig.Hip, "visit-1"), (d.SubscriptionId, d.HipId, d.Reference)));
        Assert.Equal(["Prescription"], notifier.Data[0].HiTypes);
        Assert.Equal(notifier.Data[0].EventId, notifier.Data[1].EventId);
        Assert.NotEqual(notifier.Data[0].EventId, notifier.Data[2].EventId);
        Assert.Equal(SubscriptionManager.DataEventIdFor(data.SubscriptionId!, ConsentRig.Hip, context with { HiTypes = ["Prescription"] }, "2026-12-03T09:30:00.0000000Z"),
            notifier.Data[0].EventId);
        Assert.DoesNotContain(notifier.Links, l => l.SubscriptionId == data.SubscriptionId);
    }

    [Fact]
    public async Task GivenADataSubscriptionForTheComingMonth_WhenNewDataIsToldAfterItsPeriod_ThenNothingIsTold()
    {
        await GrantConsentAsync("STREAM");
        var created = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request() with { Categories = ["DATA"] }, CancellationToken.None);
        await manager.GrantAsync(rig.Patient, created.Id, null, CancellationToken.None);

        var told = await manager.NewDataAsync(ConsentRig.PatientNumber, ConsentRig.Hip, new("P-1", "visit-1", ["Prescription"]),
            rig.Time.GetUtcNow().AddDays(91), "k", CancellationToken.None);

        Assert.Equal(0, told);
        Assert.Empty(notifier.Data);
    }

    [Fact]
    public async Task GivenALinkSubscription_WhenALinkIsWrittenDownThenTheProcessDiesBeforeTelling_ThenTheSweepTellsTheLinkedContextsOnly_OnceItIsDue()
    {
        await GrantConsentAsync("STREAM");
        var subscription = await GrantedSubscriptionAsync("r1");
        LinkedCareContextEvent[] contexts = [new("P-1", "visit-1", ["OPConsultation"]), new("P-1", "visit-9", [])];

        var pending = await manager.CareContextsLinkingAsync(ConsentRig.PatientNumber, ConsentRig.Hip, contexts, rig.Time.GetUtcNow(), CancellationToken.None);
        var tooEarly = await manager.TellLeftoverEventsAsync(CancellationToken.None);
        rig.Time.Advance(rig.Options.RenotifyAfter);
        var told = await manager.TellLeftoverEventsAsync(CancellationToken.None);

        Assert.NotNull(pending);
        Assert.Equal((0, 1), (tooEarly, told));
        var link = Assert.Single(notifier.Links);
        Assert.Equal((subscription.SubscriptionId, "visit-1"), (link.SubscriptionId, link.Reference));
        Assert.Empty(outbox.All);
    }

    [Fact]
    public async Task GivenALinkSubscription_WhenALinkIsSavedAndTold_ThenNothingIsLeftForTheSweep_AndWithoutASubscriptionNothingIsWrittenDown()
    {
        LinkedCareContextEvent[] contexts = [new("P-1", "visit-1", ["OPConsultation"])];
        var unwanted = await manager.CareContextsLinkingAsync(ConsentRig.PatientNumber, ConsentRig.Hip, contexts, rig.Time.GetUtcNow(), CancellationToken.None);
        await GrantConsentAsync("STREAM");
        await GrantedSubscriptionAsync("r1");

        var pending = await manager.CareContextsLinkingAsync(ConsentRig.PatientNumber, ConsentRig.Hip, contexts, rig.Time.GetUtcNow(), CancellationToken.None);
        var written = outbox.All.Count;
        await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.Hip, contexts, rig.Time.GetUtcNow(), CancellationToken.None, pending);
        rig.Time.Advance(rig.Options.RenotifyAfter);
        var leftover = await manager.TellLeftoverEventsAsync(CancellationToken.None);

        Assert.Null(unwanted);
        Assert.Equal((1, 0, 1), (written, leftover, notifier.Links.Count));
        Assert.Empty(outbox.All);
    }

    [Fact]
    public async Task GivenADataEventLeftUntold_WhenTheSweepTellsIt_ThenItIsTheSameEventTheNoticeWouldHaveBeen()
    {
        await GrantConsentAsync("STREAM");
        var created = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request() with { Categories = ["DATA"] }, CancellationToken.None);
        var granted = await manager.GrantAsync(rig.Patient, created.Id, null, CancellationToken.None);
        var context = new LinkedCareContextEvent("P-1", "visit-1", ["Prescription"]);
        var at = rig.Time.GetUtcNow();
        await outbox.AddAsync(new PendingSubscriptionEvent("left-1", ConsentRig.PatientNumber, ConsentRig.Hip, SubscriptionCategories.Data, [context], at, "n-1", at),
            CancellationToken.None);

        rig.Time.Advance(rig.Options.RenotifyAfter);
        var told = await manager.TellLeftoverEventsAsync(CancellationToken.None);

        Assert.Equal(1, told);
        Assert.Equal(SubscriptionManager.DataEventIdFor(granted.SubscriptionId!, ConsentRig.Hip, context, "n-1"), Assert.Single(notifier.Data).EventId);
        Assert.Empty(outbox.All);
    }

    private static Ndhm.Linking.CareContextLinks Links(DateTimeOffset at, params string[] references) => new()
    {
        AbhaNumber = ConsentRig.PatientNumber, AbhaAddress = ConsentRig.PatientAddress, HipId = ConsentRig.Hip, PartnerId = ConsentRig.HipPartner,
        PatientReference = "P-1", PatientDisplay = "Ravi Kumar",
        CareContexts = references.Select(r => new Ndhm.Linking.LinkedContext(r, "Visit " + r, ["OPConsultation"], at, Ndhm.Linking.LinkSource.Hip)).ToList(),
    };

    [Fact]
    public async Task GivenALinkSubscription_WhenLinksAreSavedThroughTheLinkStore_ThenTheHiuIsToldOnce_AndARefusedSaveTellsNothingAndLeavesNothing()
    {
        await GrantConsentAsync("STREAM");
        var subscription = await GrantedSubscriptionAsync("r1");
        var links = new Ndhm.Infrastructure.Consent.SubscriptionLinkEvents(new Ndhm.UnitTests.Linking.InMemoryLinkStore(), () => manager, rig.Time);
        var now = rig.Time.GetUtcNow();

        await links.SaveLinksAsync(Links(now, "visit-1"), null, CancellationToken.None);
        var refused = await Record.ExceptionAsync(() => links.SaveLinksAsync(Links(now, "visit-1", "visit-2"), null, CancellationToken.None));

        Assert.IsType<DomainException>(refused);
        var told = Assert.Single(notifier.Links);
        Assert.Equal((subscription.SubscriptionId, "visit-1"), (told.SubscriptionId, told.Reference));
        Assert.Empty(outbox.All);
    }

    [Fact]
    public async Task GivenALinkSavedThroughTheLinkStore_WhenTellingFailsAfterTheSave_ThenTheEventIsLeftWrittenDown_AndTheSweepTellsIt()
    {
        await GrantConsentAsync("STREAM");
        var subscription = await GrantedSubscriptionAsync("r1");
        var inner = new Ndhm.UnitTests.Linking.InMemoryLinkStore();
        var links = new Ndhm.Infrastructure.Consent.SubscriptionLinkEvents(inner, () => manager, rig.Time);
        notifier.FailEvents = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => links.SaveLinksAsync(Links(rig.Time.GetUtcNow(), "visit-1"), null, CancellationToken.None));
        var saved = await inner.FindLinksAsync(ConsentRig.PatientNumber, ConsentRig.Hip, CancellationToken.None);
        var leftBehind = outbox.All.Count;
        notifier.FailEvents = false;
        rig.Time.Advance(rig.Options.RenotifyAfter);
        var told = await manager.TellLeftoverEventsAsync(CancellationToken.None);

        Assert.NotNull(saved);
        Assert.Equal((1, 1), (leftBehind, told));
        Assert.Equal((subscription.SubscriptionId, "visit-1"), (Assert.Single(notifier.Links).SubscriptionId, notifier.Links[0].Reference));
        Assert.Empty(outbox.All);
    }

    private sealed class Failing : IConsentDependents
    {
        public Task ConsentEndedAsync(ConsentRecord consent, CancellationToken ct) => throw new InvalidOperationException("the process died here");
    }

    [Theory]
    [InlineData("VIEW")]
    [InlineData("STORE")]
    public async Task GivenOnlyAViewOrStoreConsent_WhenTheHiuSubscribes_ThenNoSubscribableConsentAndNothingIsStored(string accessMode)
    {
        await GrantConsentAsync(accessMode);

        var error = await Assert.ThrowsAsync<DomainException>(() => manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request(), CancellationToken.None));

        Assert.Equal(SubscriptionErrors.NoSubscribableConsent, error.Code);
        Assert.Empty(store.All);
    }

    [Fact]
    public async Task GivenAnotherPartnersFacility_WhenItSubscribes_ThenHiuNotServedAndNothingIsStored()
    {
        await GrantConsentAsync("STREAM");

        var error = await Assert.ThrowsAsync<DomainException>(() => manager.CreateAsync("someone-else", "r1", Request(), CancellationToken.None));

        Assert.Equal(ConsentErrors.HiuNotServed, error.Code);
        Assert.Empty(store.All);
    }

    [Fact]
    public async Task GivenAStreamConsent_WhenSubscribedApprovedAndLinked_ThenTheHiuIsToldOfGrantAndOfInScopeLinksOnly_UntilRevoked()
    {
        await GrantConsentAsync("STREAM");
        var created = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request(), CancellationToken.None);
        var again = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request(), CancellationToken.None);

        var granted = await manager.GrantAsync(rig.Patient, created.Id, null, CancellationToken.None);
        LinkedCareContextEvent[] visit = [new("P-1", "visit-9", ["OPConsultation"])];
        var inScope = await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.Hip, visit, rig.Time.GetUtcNow(), CancellationToken.None);
        var outOfScope = await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.OtherHip, visit, rig.Time.GetUtcNow(), CancellationToken.None);
        await manager.RevokeAsync(rig.Patient, granted.SubscriptionId!, CancellationToken.None);
        var afterRevoke = await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.Hip, visit, rig.Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(created.Id, again.Id);
        Assert.Equal((1, 0, 0), (inScope, outOfScope, afterRevoke));
        Assert.Equal([(created.Id, ConsentStatus.Granted)], notifier.Decisions);
        var told = Assert.Single(notifier.Links);
        Assert.Equal((granted.SubscriptionId, ConsentRig.Hip, "visit-9"), (told.SubscriptionId, told.HipId, told.Reference));
        Assert.Contains(rig.Audit.Events, e => e.Action == "subscription.notify");
        Assert.Equal(ConsentStatus.Revoked, store.All.Single().Status);
    }

    [Fact]
    public async Task GivenARequest_WhenThePatientDenies_ThenTheHiuIsToldDenied_AndAnotherPatientCannotDecide()
    {
        await GrantConsentAsync("QUERY");
        var created = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request(), CancellationToken.None);
        var stranger = new PatientContext(new ConsentActor("91000000000000", "patient"), "91000000000000");

        var hidden = await Assert.ThrowsAsync<DomainException>(() => manager.DenyAsync(stranger, created.Id, null, CancellationToken.None));
        await manager.DenyAsync(rig.Patient, created.Id, "no", CancellationToken.None);

        Assert.Equal(SubscriptionErrors.SubscriptionRequestNotFound, hidden.Code);
        Assert.Equal([(created.Id, ConsentStatus.Denied)], notifier.Decisions);
    }

    [Fact]
    public async Task GivenARequestAndAGrant_WhenTheirTimesPass_ThenTheSweepExpiresBoth_AndAnExpiredSubscriptionTellsNothing()
    {
        await GrantConsentAsync("STREAM");
        var pending = await manager.CreateAsync(ConsentRig.HiuPartner, "r1", Request(), CancellationToken.None);
        var granted = await manager.CreateAsync(ConsentRig.HiuPartner, "r2", Request(), CancellationToken.None);
        await manager.GrantAsync(rig.Patient, granted.Id, null, CancellationToken.None);

        rig.Time.Advance(TimeSpan.FromDays(91));
        var expired = await manager.ExpireDueAsync(CancellationToken.None);
        var told = await manager.CareContextsLinkedAsync(ConsentRig.PatientNumber, ConsentRig.Hip, [new("P-1", "visit-9", [])], rig.Time.GetUtcNow(),
            CancellationToken.None);

        Assert.Equal((2, 0), (expired, told));
        Assert.All(store.All, r => Assert.Equal(ConsentStatus.Expired, r.Status));
        Assert.DoesNotContain(pending.Id, notifier.Decisions.Select(d => d.Id));
    }

    private sealed class Patients : IConsentPatients
    {
        public Task<string?> FindNumberAsync(string abhaAddress, CancellationToken ct) =>
            Task.FromResult(abhaAddress == ConsentRig.PatientAddress ? ConsentRig.PatientNumber : null);
    }
}

internal sealed class InMemorySubscriptionStore : ISubscriptionStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, Versioned<SubscriptionRecord>> records = [];

    public IReadOnlyList<SubscriptionRecord> All
    {
        get { lock (gate) return records.Values.Select(v => v.Value).ToList(); }
    }

    public Task CreateAsync(SubscriptionRecord record, CancellationToken ct)
    {
        lock (gate)
        {
            if (records.ContainsKey(record.Id)) throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "exists");
            records[record.Id] = new Versioned<SubscriptionRecord>(record, Guid.NewGuid().ToString());
            return Task.CompletedTask;
        }
    }

    public Task<Versioned<SubscriptionRecord>?> FindAsync(string subscriptionRequestId, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(records.GetValueOrDefault(subscriptionRequestId));
    }

    public Task<Versioned<SubscriptionRecord>?> FindBySubscriptionIdAsync(string subscriptionId, CancellationToken ct)
    {
        lock (gate) return Task.FromResult(records.Values.FirstOrDefault(r => r.Value.SubscriptionId == subscriptionId));
    }

    public Task<string> ReplaceAsync(SubscriptionRecord record, string ifMatch, CancellationToken ct)
    {
        lock (gate)
        {
            if (!records.TryGetValue(record.Id, out var current) || current.ETag != ifMatch)
                throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "changed");
            var etag = Guid.NewGuid().ToString();
            records[record.Id] = new Versioned<SubscriptionRecord>(record, etag);
            return Task.FromResult(etag);
        }
    }

    public Task<IReadOnlyList<SubscriptionRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, int take, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<SubscriptionRecord>>(records.Values.Select(v => v.Value)
                .Where(r => r.PatientNumber == patientNumber && (status is null || r.Status == status)).OrderByDescending(r => r.CreatedAt).Take(take).ToList());
    }

    public Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<string>>(records.Values.Where(r => r.Value.IsDue(now)).Select(r => r.Value.Id).Take(take).ToList());
    }
}

internal sealed class InMemorySubscriptionOutbox : ISubscriptionOutbox
{
    private readonly ConcurrentDictionary<string, PendingSubscriptionEvent> entries = new();

    public IReadOnlyList<PendingSubscriptionEvent> All => entries.Values.ToList();

    public Task AddAsync(PendingSubscriptionEvent pending, CancellationToken ct)
    {
        entries.TryAdd(pending.Id, pending);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(PendingSubscriptionEvent pending, CancellationToken ct)
    {
        entries.TryRemove(pending.Id, out _);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingSubscriptionEvent>> ListWrittenBeforeAsync(DateTimeOffset before, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<PendingSubscriptionEvent>>(entries.Values.Where(e => e.WrittenAt <= before).OrderBy(e => e.WrittenAt).Take(take).ToList());
}

internal sealed class RecordingSubscriptionNotifier : ISubscriptionNotifier
{
    private readonly ConcurrentQueue<(string Id, ConsentStatus Status)> decisions = new();
    private readonly ConcurrentQueue<(string? SubscriptionId, string HipId, string Reference)> links = new();
    private readonly ConcurrentQueue<(string? SubscriptionId, string EventId, string HipId, string Reference, IReadOnlyList<string> HiTypes)> data = new();

    public IReadOnlyList<(string Id, ConsentStatus Status)> Decisions => decisions.ToList();

    /// <summary>When set, telling an event fails as a process dying there would leave it.</summary>
    public bool FailEvents { get; set; }

    public IReadOnlyList<(string? SubscriptionId, string HipId, string Reference)> Links => links.ToList();

    public IReadOnlyList<(string? SubscriptionId, string EventId, string HipId, string Reference, IReadOnlyList<string> HiTypes)> Data => data.ToList();

    public Task TellDecisionAsync(SubscriptionRecord record, SubscriptionEvent decision, CancellationToken ct)
    {
        decisions.Enqueue((record.Id, decision.Status));
        return Task.CompletedTask;
    }

    public Task TellEventAsync(SubscriptionRecord record, string eventId, string category, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts,
        DateTimeOffset at, CancellationToken ct)
    {
        if (FailEvents) throw new InvalidOperationException("the process died here");
        foreach (var context in contexts)
        {
            if (category == SubscriptionCategories.Link) links.Enqueue((record.SubscriptionId, hipId, context.CareContextReference));
            else data.Enqueue((record.SubscriptionId, eventId, hipId, context.CareContextReference, context.HiTypes));
        }

        return Task.CompletedTask;
    }

    public Task<bool> AcknowledgeAsync(string partnerId, string kind, string notificationRequestId, CancellationToken ct) => Task.FromResult(false);

    public Task<int> ResendUnacknowledgedAsync(CancellationToken ct) => Task.FromResult(0);
}
