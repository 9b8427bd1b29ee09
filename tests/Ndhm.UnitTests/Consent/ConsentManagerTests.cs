using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Consent;
using Ndhm.Core.Errors;

namespace Ndhm.UnitTests.Consent;

public sealed class ConsentManagerTests : IDisposable
{
    private readonly ConsentRig rig = new();

    public void Dispose() => rig.Dispose();

    [Fact]
    public async Task GivenAValidRequest_WhenCreated_ThenItAwaitsThePatientAndIsAudited()
    {
        var record = await rig.CreateAsync();

        Assert.Equal(ConsentStatus.Requested, record.Status);
        Assert.Equal(ConsentRig.PatientNumber, record.PatientNumber);
        Assert.Equal(rig.Time.GetUtcNow().AddHours(72), record.ExpiresAt);
        var entry = Assert.Single(rig.Audit.Events);
        Assert.Equal("consent.request.create", entry.Action);
        Assert.Equal(AuditChainKey.Patient(ConsentRig.PatientNumber), entry.Chain);
        Assert.Equal("CAREMGT", entry.Purpose);
    }

    [Fact]
    public async Task GivenTheSameRequestIdTwice_WhenCreated_ThenOneRecord()
    {
        var requestId = Guid.NewGuid().ToString();

        var first = await rig.CreateAsync(requestId: requestId);
        var second = await rig.CreateAsync(requestId: requestId);

        Assert.Equal(first.Id, second.Id);
        Assert.Single(await rig.Store.ListForPatientAsync(ConsentRig.PatientNumber, null, false, 10, CancellationToken.None));
    }

    [Theory]
    [InlineData(ConsentRig.Unverified, ConsentErrors.HiuNotVerified)]
    [InlineData(ConsentRig.OtherHip, ConsentErrors.HiuNotServed)]
    public async Task GivenAnHiuThatIsNotTheCallersVerifiedFacility_WhenCreated_ThenForbidden(string hiu, string code)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => rig.CreateAsync(ConsentRig.Request(hiu: hiu, hip: ConsentRig.Hip)));

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task GivenAnUnverifiedRequester_WhenCreated_ThenForbidden()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => rig.CreateAsync(ConsentRig.Request(doctor: ConsentRig.UnverifiedDoctor)));

        Assert.Equal(ConsentErrors.RequesterNotVerified, error.Code);
    }

    [Fact]
    public async Task GivenAnUnknownPatient_WhenCreated_ThenNotFoundAndNothingStored()
    {
        var input = ConsentRig.Request() with { Patient = new IdInput("nobody@sbx") };

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.CreateAsync(input));

        Assert.Equal(ConsentErrors.PatientNotFound, error.Code);
        Assert.Empty(await rig.Store.ListDueAsync(DateTimeOffset.MaxValue, 10, CancellationToken.None));
    }

    [Fact]
    public async Task GivenARequest_WhenThePatientGrants_ThenOneSignedArtefactPerHipVerifiesAgainstTheJwks()
    {
        var record = await rig.CreateAsync(ConsentRig.Request(hip: null));

        var granted = await rig.Manager.GrantAsync(rig.Patient, record.Id, new GrantInput(
            [new GrantHipInput(ConsentRig.Hip, [new CareContextInput("P-1", "visit-1")]), new GrantHipInput(ConsentRig.OtherHip, [new CareContextInput("X-9", "lab-3")])],
            null, null), CancellationToken.None);

        Assert.Equal(ConsentStatus.Granted, granted.Status);
        Assert.Equal([ConsentRig.Hip, ConsentRig.OtherHip], granted.Artefacts.Select(a => a.HipId));
        var keys = await rig.Signing.GetPublicKeysAsync(false, CancellationToken.None);
        foreach (var artefact in granted.Artefacts)
        {
            var header = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(artefact.Signature.Split('.')[0])).RootElement;
            Assert.Equal("ES256", header.GetProperty("alg").GetString());
            Assert.Equal(rig.Signing.CurrentKid, header.GetProperty("kid").GetString());
            var payload = ConsentSignatures.Verify(artefact.Signature, keys);
            Assert.NotNull(payload);
            Assert.Equal(artefact.Id, payload!.Value.GetProperty("consentId").GetString());
            Assert.Equal(artefact.HipId, payload.Value.GetProperty("hip").GetProperty("id").GetString());
        }

        var (_, seq, status, hips) = Assert.Single(rig.Notifier.Sent);
        Assert.Equal((2, ConsentStatus.Granted), (seq, status));
        Assert.Equal([ConsentRig.Hip, ConsentRig.OtherHip], hips);
        Assert.True(rig.Store.Get(record.Id).Events[^1].Notified);
    }

    [Fact]
    public async Task GivenAGrant_WhenTheArtefactIsTamperedWith_ThenItsSignatureNoLongerVerifies()
    {
        var record = await rig.CreateAsync();
        var granted = await rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None);
        var parts = granted.Artefacts[0].Signature.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))
            .Replace("OPConsultation", "DischargeSummary", StringComparison.Ordinal);
        var forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        Assert.Null(ConsentSignatures.Verify(forged, await rig.Signing.GetPublicKeysAsync(false, CancellationToken.None)));
    }

    public static TheoryData<GrantInput, string> Widenings() => new()
    {
        { new GrantInput(null, ["OPConsultation", "DischargeSummary"], null), "hiTypes" },
        { new GrantInput(null, null, new DateRangeInput(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero))), "dateRange.from" },
        { new GrantInput(null, null, new DateRangeInput(new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero))), "dateRange.to" },
        { new GrantInput([new GrantHipInput(ConsentRig.OtherHip, null)], null, null), "hips[0].id" },
        { new GrantInput([new GrantHipInput(ConsentRig.Hip, [new CareContextInput("P-1", "visit-77")])], null, null), "hips[0].careContexts" },
    };

    [Theory]
    [MemberData(nameof(Widenings))]
    public async Task GivenAGrantThatWidensTheRequest_WhenGranted_ThenRefusedNamingTheFieldAndNothingChanges(GrantInput grant, string field)
    {
        var record = await rig.CreateAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id, grant, CancellationToken.None));

        Assert.Equal((ErrorKind.Validation, ConsentErrors.GrantWidens, field), (error.Kind, error.Code, error.Extensions[ConsentErrors.Field]));
        Assert.Equal(ConsentStatus.Requested, rig.Store.Get(record.Id).Status);
        Assert.Empty(rig.Notifier.Sent);
    }

    [Fact]
    public async Task GivenAGrantThatNarrows_WhenGranted_ThenTheArtefactCarriesOnlyWhatWasGranted()
    {
        var record = await rig.CreateAsync();
        var range = new DateRangeInput(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var granted = await rig.Manager.GrantAsync(rig.Patient, record.Id,
            new GrantInput([new GrantHipInput(ConsentRig.Hip, [new CareContextInput("P-1", "visit-2")])], ["Prescription"], range), CancellationToken.None);

        var detail = Assert.Single(granted.Artefacts).Detail;
        Assert.Equal([new CareContextRef("P-1", "visit-2")], detail.CareContexts);
        Assert.Equal(["Prescription"], detail.HiTypes);
        Assert.Equal(range.From, detail.Permission.DateRange.From);
        Assert.Equal("sbx", detail.ConsentManager.Id);
    }

    [Fact]
    public async Task GivenACareContextNotLinkedAtThatHip_WhenGranted_ThenRefusedNamingIt_AndNothingChanges()
    {
        var record = await rig.CreateAsync(ConsentRig.Request(hip: null));
        var grant = new GrantInput([
            new GrantHipInput(ConsentRig.Hip, [new CareContextInput("P-1", "visit-1")]),
            new GrantHipInput(ConsentRig.OtherHip, [new CareContextInput("X-9", "lab-3"), new CareContextInput("X-9", "visit-1")]),
        ], null, null);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id, grant, CancellationToken.None));

        Assert.Equal((ErrorKind.Validation, ConsentErrors.CareContextNotLinked, "hips[1].careContexts[1]"),
            (error.Kind, error.Code, error.Extensions[ConsentErrors.Field]));
        Assert.Equal(ConsentStatus.Requested, rig.Store.Get(record.Id).Status);
        Assert.Empty(rig.Notifier.Sent);
    }

    [Fact]
    public async Task GivenALinkedCareContextUnderAnotherPatientReference_WhenGranted_ThenRefused()
    {
        var record = await rig.CreateAsync(ConsentRig.Request(hip: null));

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id,
            new GrantInput([new GrantHipInput(ConsentRig.Hip, [new CareContextInput("P-2", "visit-1")])], null, null), CancellationToken.None));

        Assert.Equal(ConsentErrors.CareContextNotLinked, error.Code);
    }

    [Fact]
    public async Task GivenAnEmergencyRequestForACareContextNotLinked_WhenCreated_ThenRefused_AndNobodyIsTold()
    {
        rig.Linked.Links.Remove((ConsentRig.PatientNumber, ConsentRig.Hip, new CareContextRef("P-1", "visit-2")));

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.CreateAsync(ConsentRig.Request(purpose: "BTG")));

        Assert.Equal((ConsentErrors.CareContextNotLinked, "consent.careContexts[1]"), (error.Code, error.Extensions[ConsentErrors.Field]));
        Assert.Empty(rig.Notifier.Sent);
        Assert.Empty(rig.Notifier.Emergencies);
    }

    [Fact]
    public async Task GivenAnotherPatientsRequest_WhenGranted_ThenNotFound()
    {
        var record = await rig.CreateAsync();
        var stranger = new PatientContext(new ConsentActor("91000000000001", "patient"), "91000000000001");

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(stranger, record.Id, null, CancellationToken.None));

        Assert.Equal(ConsentErrors.ConsentRequestNotFound, error.Code);
    }

    [Fact]
    public async Task GivenANominee_WhenTheyDenyForThePatient_ThenDeniedAndTheAuditNamesTheNominee()
    {
        var record = await rig.CreateAsync();
        var nominee = await rig.Manager.ActingForAsync(ConsentRig.Nominee, ConsentRig.Nominee, ConsentRig.PatientNumber, CancellationToken.None);

        var denied = await rig.Manager.DenyAsync(nominee, record.Id, "not now", CancellationToken.None);

        Assert.Equal(ConsentStatus.Denied, denied.Status);
        Assert.Equal(new ConsentActor(ConsentRig.Nominee, "nominee", ConsentRig.PatientNumber), denied.Events[^1].Actor);
        Assert.Equal(ConsentRig.Nominee, rig.Audit.Events[^1].Actor.Subject);
        Assert.Equal("consent.denied", rig.Audit.Events[^1].Action);
    }

    [Fact]
    public async Task GivenSomeoneWhoIsNotANominee_WhenActingForAPatient_ThenForbidden()
    {
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Manager.ActingForAsync("91000000000001", "91000000000001", ConsentRig.PatientNumber, CancellationToken.None));

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
    }

    [Fact]
    public async Task GivenAGrantedConsent_WhenRevoked_ThenRevokedWithASignedEventAndTheArtefactUnchanged()
    {
        var record = await rig.CreateAsync();
        var granted = await rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None);

        var revoked = await rig.Manager.RevokeAsync(rig.Patient, granted.Artefacts[0].Id, CancellationToken.None);

        Assert.Equal(ConsentStatus.Revoked, revoked.Status);
        Assert.Equal(granted.Artefacts, revoked.Artefacts);
        var payload = ConsentSignatures.Verify(revoked.Events[^1].Signature, await rig.Signing.GetPublicKeysAsync(false, CancellationToken.None));
        Assert.Equal("REVOKED", payload!.Value.GetProperty("status").GetString());
        Assert.Equal([ConsentStatus.Granted, ConsentStatus.Revoked], rig.Notifier.Sent.Select(n => n.Status));
    }

    [Fact]
    public async Task GivenADeniedRequest_WhenGranted_ThenConflictAndNoNotification()
    {
        var record = await rig.CreateAsync();
        await rig.Manager.DenyAsync(rig.Patient, record.Id, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None));

        Assert.Equal((ErrorKind.Conflict, ConsentErrors.ConsentNotPending), (error.Kind, error.Code));
        Assert.Single(rig.Notifier.Sent);
    }

    [Fact]
    public async Task GivenAnUndecidedRequestPastItsLifetime_WhenTheTimerRuns_ThenExpiredAndTheHiuIsTold()
    {
        var record = await rig.CreateAsync();
        rig.Time.Advance(TimeSpan.FromHours(73));

        var grantError = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None));
        var expired = await rig.Manager.ExpireDueAsync(CancellationToken.None);

        Assert.Equal("ABDM-1061", grantError.Extensions[ConsentErrors.AbdmCode]);
        Assert.Equal(1, expired);
        Assert.Equal(ConsentStatus.Expired, rig.Store.Get(record.Id).Status);
        Assert.Equal(ConsentStatus.Expired, Assert.Single(rig.Notifier.Sent).Status);
        Assert.Equal(0, await rig.Manager.ExpireDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GivenAGrantPastDataEraseAt_WhenTheTimerRuns_ThenExpiredAndEveryHipIsTold()
    {
        var record = await rig.CreateAsync(ConsentRig.Request(eraseAt: new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero)));
        await rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None);
        rig.Time.Advance(TimeSpan.FromDays(6));
        Assert.Equal(0, await rig.Manager.ExpireDueAsync(CancellationToken.None));

        rig.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await rig.Manager.ExpireDueAsync(CancellationToken.None));

        var last = rig.Notifier.Sent.Last();
        Assert.Equal((ConsentStatus.Expired, ConsentRig.Hip), (last.Status, Assert.Single(last.Hips)));
    }

    [Fact]
    public async Task GivenAnEmergencyRequest_WhenCreated_ThenGrantedAtOnceForAtMostTheEmergencyWindowAndThePatientIsTold()
    {
        var record = await rig.CreateAsync(ConsentRig.Request(purpose: ConsentCodes.BreakTheGlass));

        Assert.Equal(ConsentStatus.Granted, record.Status);
        Assert.Equal(rig.Time.GetUtcNow().AddHours(24), record.GrantedUntil);
        Assert.Equal(record.Id, Assert.Single(rig.Notifier.Emergencies));
        Assert.Equal("system:emergency-access", record.Events[^1].Actor.Subject);
        var listed = await rig.Manager.ListAsync(rig.Patient, null, emergencyOnly: true, CancellationToken.None);
        Assert.Equal(record.Id, Assert.Single(listed).Id);

        rig.Time.Advance(TimeSpan.FromHours(24));
        Assert.Equal(1, await rig.Manager.ExpireDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GivenAnEmergencyInitWhoseGrantFailed_WhenTheInitIsRetried_ThenTheGrantIsFinished()
    {
        var requestId = Guid.NewGuid().ToString();
        var failing = rig.Build(rig.Store, new FailingGrantNotifier());
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            failing.CreateAsync(ConsentRig.HiuPartner, requestId, ConsentRig.Request(purpose: ConsentCodes.BreakTheGlass), CancellationToken.None));

        var retried = await rig.CreateAsync(ConsentRig.Request(purpose: ConsentCodes.BreakTheGlass), requestId);

        Assert.Equal(ConsentStatus.Granted, retried.Status);
    }

    private sealed class FailingGrantNotifier : IConsentNotifier
    {
        public Task NotifyAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct) => Task.CompletedTask;

        public Task TellPatientOfEmergencyAsync(ConsentRecord record, CancellationToken ct) => throw new InvalidOperationException("down");

        public Task<bool> AcknowledgeAsync(string partnerId, string notificationRequestId, CancellationToken ct) => Task.FromResult(false);

        public Task<int> ResendUnacknowledgedAsync(CancellationToken ct) => Task.FromResult(0);
    }

    [Fact]
    public async Task GivenAnEmergencyRequestFromAProfessionalOfAnotherFacility_WhenCreated_ThenRefused()
    {
        var input = ConsentRig.Request(purpose: ConsentCodes.BreakTheGlass, hiu: ConsentRig.Unverified);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.CreateAsync(input));

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
    }

    [Fact]
    public async Task GivenAnArtefact_WhenFetched_ThenOnlyItsPartiesGetIt()
    {
        var record = await rig.CreateAsync();
        var artefact = (await rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None)).Artefacts[0];

        var byHiu = await rig.Manager.FetchAsync(ConsentRig.HiuPartner, artefact.Id, CancellationToken.None);
        var byHip = await rig.Manager.FetchAsync(ConsentRig.HipPartner, artefact.Id, CancellationToken.None);
        var stranger = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.FetchAsync("someone-else", artefact.Id, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.FetchAsync(ConsentRig.HiuPartner, Guid.NewGuid().ToString(), CancellationToken.None));

        Assert.Equal(artefact, byHiu.Artefact);
        Assert.Equal(artefact, byHip.Artefact);
        Assert.Equal((ConsentErrors.NotAParty, ConsentErrors.NotAParty), (stranger.Code, unknown.Code));
        Assert.Equal("consent.artefact.fetch", rig.Audit.Events[^1].Action);
    }

    [Fact]
    public async Task GivenARequest_WhenAnotherHiuAsksItsStatus_ThenNotFound()
    {
        var record = await rig.CreateAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.StatusForHiuAsync("other-hiu", record.Id, CancellationToken.None));

        Assert.Equal(ConsentErrors.ConsentRequestNotFound, error.Code);
    }

    [Fact]
    public async Task GivenANotificationThatFailedAfterTheWrite_WhenTheSweepRuns_ThenItIsSentAndMarked()
    {
        var record = await rig.CreateAsync();
        rig.Notifier.FailNext = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Manager.DenyAsync(rig.Patient, record.Id, null, CancellationToken.None));
        Assert.Equal(ConsentStatus.Denied, rig.Store.Get(record.Id).Status);
        Assert.Empty(rig.Notifier.Sent);

        rig.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await rig.Manager.RenotifyAsync(CancellationToken.None));

        Assert.Equal(ConsentStatus.Denied, Assert.Single(rig.Notifier.Sent).Status);
        Assert.All(rig.Store.Get(record.Id).Events, e => Assert.True(e.Notified));
        Assert.Equal(0, await rig.Manager.RenotifyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GivenAGrantWhoseNotificationFailedAfterTheWrite_WhenThePatientRetriesIt_ThenTheNotificationIsSentAtOnceAndTheRetryIsRefused()
    {
        var record = await rig.CreateAsync();
        rig.Notifier.FailNext = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None));
        Assert.Equal(ConsentStatus.Granted, rig.Store.Get(record.Id).Status);
        Assert.Empty(rig.Notifier.Sent);

        var retry = await Assert.ThrowsAsync<DomainException>(() => rig.Manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None));

        Assert.Equal(ConsentErrors.ConsentNotPending, retry.Code);
        Assert.Equal(ConsentStatus.Granted, Assert.Single(rig.Notifier.Sent).Status);
        Assert.All(rig.Store.Get(record.Id).Events, e => Assert.True(e.Notified));
    }
}
