using Ndhm.Consent;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.DataTransfer;
using Ndhm.Fidelius;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.DataTransfer;

public sealed class DataTransferServiceTests : IDisposable
{
    private readonly DataTransferRig rig = new();

    public void Dispose() => rig.Dispose();

    private static HiNotification Report(string transactionId, string hipId, params (string Reference, string Status)[] statuses) =>
        new(null, transactionId, null, new HiNotifier("HIP", hipId), new HiStatusNotification("TRANSFERRED", hipId,
            statuses.Select(s => new HiCareContextStatus(s.Reference, s.Status, null)).ToList()));

    [Fact]
    public async Task GivenAGrantedArtefact_WhenItsHiuRequests_ThenATransactionIsRequestedWithEveryCareContextPendingAndAudited()
    {
        var artefact = await rig.GrantedArtefactAsync();

        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        Assert.Equal(TransferStatus.Requested, transaction.Status);
        Assert.Equal(ConsentRig.PatientAddress, transaction.PatientAddress);
        Assert.Equal(["visit-1", "visit-2"], transaction.CareContexts.Select(c => c.CareContextReference));
        Assert.All(transaction.CareContexts, c => Assert.Equal(CareContextStatus.Pending, c.Status));
        Assert.Equal(ConsentRig.HipPartner, Assert.Single(transaction.Hips).PartnerId);
        Assert.Contains(rig.Audit.Events, e => e.Action == "hi.transfer.request" && e.ConsentId == artefact.Id);
    }

    [Fact]
    public async Task GivenTheSameRequestIdTwice_WhenRequested_ThenOneTransactionAndTheFrequencyCountsItOnce()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var input = rig.Request(artefact.Id);

        var first = await rig.RequestAsync(input, "5f7a535d-a3fd-416b-b069-c97d021fbacd");
        var second = await rig.RequestAsync(input, "5f7a535d-a3fd-416b-b069-c97d021fbacd");

        Assert.Equal(first.Id, second.Id);
        Assert.Single((await rig.Store.FindUsageAsync(artefact.Id, CancellationToken.None))!.Value.Uses);
    }

    [Fact]
    public async Task GivenHourlyFrequencyWithNoRepeats_WhenASecondRequestComesWithinTheHour_ThenRefusedUntilTheHourPasses()
    {
        var artefact = await rig.GrantedArtefactAsync();
        await rig.RequestAsync(rig.Request(artefact.Id));

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id)));
        rig.Consent.Time.Advance(TimeSpan.FromMinutes(61));
        var later = await rig.RequestAsync(rig.Request(artefact.Id));

        Assert.Equal((DataTransferErrors.FrequencyExceeded, AbdmErrors.TooManyRequests), (error.Code, AbdmErrors.AbdmCodeFor(error)));
        Assert.Equal(TransferStatus.Requested, later.Status);
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_202")]
    public async Task HIU_FLOW_202_GivenARevokedConsent_WhenRequested_ThenAbdm1062AndNoTransaction()
    {
        var artefact = await rig.GrantedArtefactAsync();
        await rig.Consent.Manager.RevokeAsync(rig.Consent.Patient, artefact.Id, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id), "11111111-1111-4111-8111-111111111111"));

        Assert.Equal((DataTransferErrors.ConsentRevoked, AbdmErrors.ConsentNotGranted), (error.Code, AbdmErrors.AbdmCodeFor(error)));
        Assert.Null(await rig.Store.FindAsync(DataTransferService.TransactionIdFor(ConsentRig.HiuPartner, "11111111-1111-4111-8111-111111111111"), CancellationToken.None));
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_105")]
    public async Task HIU_FLOW_105_GivenADeniedRequest_WhenItsHiuRequestsDataWithTheRequestId_ThenAbdm1062AndNoTransaction()
    {
        var record = await rig.Consent.CreateAsync();
        await rig.Consent.Manager.DenyAsync(rig.Consent.Patient, record.Id, "no", CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(record.Id), "22222222-2222-4222-8222-222222222222"));
        var other = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(record.Id), partner: "other-hiu"));

        Assert.Equal((DataTransferErrors.ConsentNotGranted, AbdmErrors.ConsentNotGranted), (error.Code, AbdmErrors.AbdmCodeFor(error)));
        Assert.Equal(DataTransferErrors.ConsentNotFound, other.Code);
        Assert.Null(await rig.Store.FindAsync(DataTransferService.TransactionIdFor(ConsentRig.HiuPartner, "22222222-2222-4222-8222-222222222222"), CancellationToken.None));
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_301")]
    public async Task HIU_FLOW_301_GivenAConsentPastItsEnd_WhenRequested_ThenAbdm1061EvenBeforeTheSweepExpiresIt()
    {
        var artefact = await rig.GrantedArtefactAsync();
        rig.Consent.Time.Advance(TimeSpan.FromDays(365));

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id, key: FideliusKeyMaterial.Generate(rig.Consent.Time).ToAbdm())));

        Assert.Equal((DataTransferErrors.ConsentExpired, AbdmErrors.ConsentExpired), (error.Code, AbdmErrors.AbdmCodeFor(error)));
    }

    [Fact]
    public async Task GivenARangeBeyondThePermission_WhenRequested_ThenAbdm1063NamingThePermittedRange()
    {
        var artefact = await rig.GrantedArtefactAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id, from: new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero))));

        Assert.Equal((DataTransferErrors.DateRangeOutsideConsent, AbdmErrors.InvalidDateRange), (error.Code, AbdmErrors.AbdmCodeFor(error)));
        Assert.Contains("2020-01-01T00:00:00.000Z", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAnotherHiuPartner_WhenItNamesTheArtefact_ThenNotFoundAsForAnUnknownId()
    {
        var artefact = await rig.GrantedArtefactAsync();

        var other = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id), partner: "other-hiu"));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(Guid.NewGuid().ToString())));

        Assert.Equal(other.Code, unknown.Code);
        Assert.Equal(AbdmErrors.NotFound, AbdmErrors.AbdmCodeFor(other));
    }

    [Fact]
    public async Task GivenExpiredOrMalformedKeyMaterial_WhenRequested_ThenRefusedNamingTheField()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var expired = FideliusKeyMaterial.Generate(rig.Consent.Time, TimeSpan.FromMinutes(5)).ToAbdm();
        rig.Consent.Time.Advance(TimeSpan.FromMinutes(10));
        var offCurve = FideliusKeyMaterial.Generate(rig.Consent.Time).ToAbdm() is var good
            ? good with { DhPublicKey = good.DhPublicKey! with { KeyValue = Convert.ToBase64String(new byte[65]) } }
            : null;

        var stale = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id, key: expired)));
        var malformed = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id, key: offCurve)));
        var plainHttp = await Assert.ThrowsAsync<DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id, url: "http://hiu.example.in/push")));

        Assert.Equal(DataTransferErrors.KeyMaterialExpired, stale.Code);
        Assert.Equal(DataTransferErrors.InvalidKeyMaterial, malformed.Code);
        Assert.Equal(DataTransferErrors.InvalidDataPushUrl, plainHttp.Code);
    }

    [Fact]
    public async Task GivenATransaction_WhenStartedTwice_ThenTheHipRequestHasOneIdAndTheDeadlinesComeFromTheRequestTime()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        var plan = await rig.Service.StartAsync(transaction.Id, CancellationToken.None);
        await rig.Service.StartAsync(transaction.Id, CancellationToken.None);

        var sent = rig.Messenger.Sent.Where(s => s.Kind == "hip/request").ToList();
        Assert.Equal(2, sent.Count);
        Assert.Single(sent.Select(s => s.RequestId).Distinct());
        Assert.Equal((transaction.CreatedAt + rig.Options.HipPushWindow).UtcDateTime, plan.PushDeadline);
        Assert.Equal([ConsentRig.Hip], plan.HipIds);
    }

    [Fact]
    public async Task GivenAHipReportingOneDeliveredAndOneErrored_WhenClosed_ThenPartialAndTheHiuIsToldOnceEvenIfClosedAgain()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        var done = await rig.Service.NotifyAsync(ConsentRig.HipPartner, true, Report(transaction.Id, ConsentRig.Hip, ("visit-1", "DELIVERED"), ("visit-2", "ERRORED")), CancellationToken.None);
        var outcome = await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);
        await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);

        Assert.Equal([ConsentRig.Hip], done);
        Assert.Equal("PARTIAL", outcome);
        Assert.Single(rig.Messenger.Sent, s => s.Kind == "hiu/notify");
        var closed = (await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!.Value;
        Assert.Equal([CareContextStatus.Delivered, CareContextStatus.Errored], closed.CareContexts.Select(c => c.Status));
    }

    [Fact]
    public async Task GivenAPartialTransfer_WhenClosedTwice_ThenThePatientIsToldOnceWhoReceivedWhatFromWhom()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        await rig.Service.NotifyAsync(ConsentRig.HipPartner, true, Report(transaction.Id, ConsentRig.Hip, ("visit-1", "DELIVERED"), ("visit-2", "ERRORED")), CancellationToken.None);

        await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);
        await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);

        var (patientNumber, notice) = Assert.Single(rig.PatientNotifier.Told);
        Assert.Equal(ConsentRig.PatientNumber, patientNumber);
        Assert.Equal((transaction.Id, transaction.HiuId, transaction.PurposeCode, transaction.ConsentRequestId, "PARTIAL", 1, 2),
            (notice.TransactionId, notice.HiuId, notice.PurposeCode, notice.ConsentRequestId, notice.Status, notice.Delivered, notice.CareContexts));
        Assert.Equal([ConsentRig.Hip], notice.HipIds);
        Assert.True((await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!.Value.PatientTold);
    }

    [Fact]
    public async Task GivenThePatientsChannelDownAtClose_WhenTheCloseIsRetried_ThenThePatientIsToldAndTheHiuIsNotToldAgain()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        await rig.Service.NotifyAsync(ConsentRig.HipPartner, true, Report(transaction.Id, ConsentRig.Hip, ("visit-1", "DELIVERED"), ("visit-2", "DELIVERED")), CancellationToken.None);
        rig.PatientNotifier.FailuresLeft = 1;

        await Assert.ThrowsAsync<HttpRequestException>(() => rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None));
        var retried = await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);

        Assert.Equal("TRANSFERRED", retried);
        Assert.Single(rig.Messenger.Sent, s => s.Kind == "hiu/notify");
        Assert.Equal("TRANSFERRED", Assert.Single(rig.PatientNotifier.Told).Notice.Status);
    }

    [Fact]
    public async Task GivenThePlatformsOwnPull_WhenClosed_ThenThisNoticeIsNotSentBecauseThePullsMessengerTellsThePatient()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        var stored = (await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!;
        await rig.Store.ReplaceAsync(stored.Value with { HiuPartnerId = PlatformHiu.PartnerId }, stored.ETag, CancellationToken.None);
        await rig.Service.ErrorPendingAsync(transaction.Id, DataTransferErrors.HipNoPush, CancellationToken.None);

        await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);

        Assert.Empty(rig.PatientNotifier.Told);
        Assert.Single(rig.Messenger.Sent, s => s.Kind == "hiu/notify");
    }

    [Fact]
    public async Task GivenAHipReportLeavingACareContextOut_WhenRecorded_ThenThatOneIsErroredNotReported()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        await rig.Service.NotifyAsync(ConsentRig.HipPartner, true, Report(transaction.Id, ConsentRig.Hip, ("visit-1", "DELIVERED")), CancellationToken.None);

        var after = (await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!.Value;
        Assert.Equal(DataTransferErrors.NotReported, after.CareContexts.Single(c => c.CareContextReference == "visit-2").ErrorCode);
    }

    [Fact]
    public async Task GivenASilentHip_WhenThePushWindowPasses_ThenItsCareContextsAreErroredAbdm1402AndTheTransactionFails()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        await rig.Service.ErrorPendingAsync(transaction.Id, DataTransferErrors.HipNoPush, CancellationToken.None);
        var outcome = await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None);

        Assert.Equal("FAILED", outcome);
        var closed = (await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!.Value;
        Assert.All(closed.CareContexts, c => Assert.Equal((CareContextStatus.Errored, AbdmErrors.NoAcknowledgement), (c.Status, c.ErrorCode)));
    }

    [Fact]
    public async Task GivenAClosedTransaction_WhenTheHipNotifiesLate_ThenTransactionClosedAndNothingChanges()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        await rig.Service.ErrorPendingAsync(transaction.Id, DataTransferErrors.ConsentRevoked, CancellationToken.None);
        await rig.Service.CloseAsync(transaction.Id, DataTransferErrors.ConsentRevoked, CancellationToken.None);

        var late = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Service.NotifyAsync(ConsentRig.HipPartner, true, Report(transaction.Id, ConsentRig.Hip, ("visit-1", "DELIVERED")), CancellationToken.None));

        Assert.Equal(DataTransferErrors.TransactionClosed, late.Code);
        var closed = (await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!.Value;
        Assert.Equal((TransferStatus.Failed, DataTransferErrors.ConsentRevoked), (closed.Status, closed.StoppedBecause));
        Assert.All(closed.CareContexts, c => Assert.Equal(CareContextStatus.Errored, c.Status));
    }

    [Fact]
    public async Task GivenAPartnerNotServingTheHip_WhenItNotifies_ThenNotFoundAndNothingChanges()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Service.NotifyAsync("someone-else", true, Report(transaction.Id, ConsentRig.Hip, ("visit-1", "DELIVERED")), CancellationToken.None));

        Assert.Equal(DataTransferErrors.TransactionNotFound, error.Code);
        Assert.All((await rig.Store.FindAsync(transaction.Id, CancellationToken.None))!.Value.CareContexts, c => Assert.Equal(CareContextStatus.Pending, c.Status));
    }

    [Fact]
    [Trait("Certification", "HIU_FLOW_202")]
    public async Task GivenARunningTransfer_WhenThePatientRevokes_ThenTheConsentCheckSaysRevoked()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        var before = await rig.Service.ConsentStopReasonAsync(transaction.Id, CancellationToken.None);

        await rig.Consent.Manager.RevokeAsync(rig.Consent.Patient, artefact.Id, CancellationToken.None);

        Assert.Null(before);
        Assert.Equal(DataTransferErrors.ConsentRevoked, await rig.Service.ConsentStopReasonAsync(transaction.Id, CancellationToken.None));
    }

    [Fact]
    public async Task GivenATransaction_WhenReadByItsHiuItsPatientAnAdminAndOthers_ThenOnlyTheFirstThreeSeeIt()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));

        await rig.Service.ViewAsync(transaction.Id, TransferReader.Hiu(ConsentRig.HiuPartner), CancellationToken.None);
        await rig.Service.ViewAsync(transaction.Id, TransferReader.Patient("p", ConsentRig.PatientNumber), CancellationToken.None);
        await rig.Service.ViewAsync(transaction.Id, TransferReader.Admin("admin"), CancellationToken.None);
        var otherHiu = await Assert.ThrowsAsync<DomainException>(() => rig.Service.ViewAsync(transaction.Id, TransferReader.Hiu("other"), CancellationToken.None));
        var otherPatient = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Service.ViewAsync(transaction.Id, TransferReader.Patient("q", "91000000000000"), CancellationToken.None));

        Assert.Equal([DataTransferErrors.TransactionNotFound, DataTransferErrors.TransactionNotFound], new[] { otherHiu.Code, otherPatient.Code });
        Assert.Equal(3, rig.Audit.Events.Count(e => e.Action == "hi.transfer.read"));
    }
}
