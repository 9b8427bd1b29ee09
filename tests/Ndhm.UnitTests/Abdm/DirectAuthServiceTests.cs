using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Abdm;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.HealthId.Verification;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Abdm;

/// <summary>
/// DIRECT authentication without I/O: a partner's users/auth/init in DIRECT mode, the patient's listing and answer,
/// the users/auth/notify it causes, and the partner's on-notify, over in-memory stores and a controllable clock.
/// </summary>
public sealed class DirectAuthServiceTests
{
    private static readonly AbhaNumber Ravi = AbhaNumber.Parse("91-6285-4575-5116");
    private static readonly AbhaNumber Someone = AbhaNumber.Parse("91-5408-0214-0264");
    private static readonly AuthRequester Hospital = new("hospital-bridge", RequesterType.Hip, "IN2810000002");

    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;
    private readonly InMemoryPartnerAuthStore store = new();
    private readonly RecordingDirectNotifier notifier = new();
    private readonly PartnerAuthService auth;
    private readonly DirectAuthService direct;
    private readonly AbdmSettings settings = new();

    public DirectAuthServiceTests()
    {
        rig = new HealthIdRig(time);
        rig.Accounts.CreateAsync(TestAccounts.RaviKumar(time), CancellationToken.None).GetAwaiter().GetResult();
        var options = new TokenOptions { Issuer = "https://ndhm.example.in" };
        var tokens = new PartnerAuthTokens(new JwtIssuer(rig.SigningKeys, options, time), new JwtValidator(rig.SigningKeys, options, time), settings);
        var audit = new HealthIdAudit(rig.Audit, new NoCurrentActor());
        auth = new PartnerAuthService(rig.Lookup, rig.Otp, store, tokens, audit, settings, time, rig.Hasher);
        direct = new DirectAuthService(store, tokens, rig.Lookup, rig.Hasher, notifier, audit, time);
    }

    private async Task<string> OpenAsync(AuthPurpose purpose = AuthPurpose.KycAndLink) =>
        (await auth.InitAsync(Ravi.Formatted, purpose, AuthMode.Direct, Hospital, Guid.NewGuid().ToString(), CancellationToken.None)).TransactionId;

    [Fact]
    public async Task GivenADirectInit_WhenThePatientLists_ThenTheRequestShows_AndNotForAnotherPatient()
    {
        var transactionId = await OpenAsync();

        var mine = await direct.ListPendingAsync(Ravi, CancellationToken.None);
        var theirs = await direct.ListPendingAsync(Someone, CancellationToken.None);

        var pending = Assert.Single(mine);
        Assert.Equal((transactionId, RequesterType.Hip, "IN2810000002", AuthPurpose.KycAndLink), (pending.TransactionId, pending.RequesterType, pending.RequesterId, pending.Purpose));
        Assert.Empty(theirs);
        Assert.DoesNotContain(store.Transactions.Values, t => t.Value.PatientKey?.Contains(Ravi.Digits, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task GivenKycAndLink_WhenThePatientApproves_ThenTheHipIsNotifiedGrantedWithTokenAndDemographics_AndItIsAudited()
    {
        var transactionId = await OpenAsync();

        var decision = await direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None);

        var (txn, requestId, notification) = Assert.Single(notifier.Sent);
        Assert.Equal((transactionId, DirectAuthStatus.Granted), (notification.TransactionId, notification.Status));
        Assert.Equal(decision.NotificationRequestId, requestId);
        Assert.False(string.IsNullOrEmpty(notification.AccessToken));
        Assert.Equal((AuthPurpose.KycAndLink, RequesterType.Hip, "IN2810000002", 1),
            (notification.Validity!.Purpose, notification.Validity.Requester.Type, notification.Validity.Requester.Id, notification.Validity.Limit));
        Assert.Equal(1985, notification.Patient!.YearOfBirth);
        Assert.Equal(Hospital.PartnerId, txn.PartnerId);
        Assert.Equal(PartnerAuthStatus.Authenticated, store.Transactions[transactionId].Value.Status);
        Assert.Empty(await direct.ListPendingAsync(Ravi, CancellationToken.None));
        Assert.Contains(rig.Audit.Events, e => e.Action == DirectAuthService.ApproveAction && e.Outcome == "GRANTED" && e.Chain == "patient:" + Ravi.Digits);
    }

    [Fact]
    public async Task GivenAKycOnlyRequest_WhenApproved_ThenDemographicsWithoutAToken()
    {
        var transactionId = await OpenAsync(AuthPurpose.Kyc);

        await direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None);

        var notification = Assert.Single(notifier.Sent).Notification;
        Assert.Null(notification.AccessToken);
        Assert.Null(notification.Validity);
        Assert.NotNull(notification.Patient);
    }

    [Fact]
    public async Task GivenAPendingRequest_WhenThePatientDenies_ThenDeniedWithNothingElse_AndApprovingAfterwardsIsAConflict()
    {
        var transactionId = await OpenAsync();

        await direct.DecideAsync(Ravi, transactionId, approve: false, CancellationToken.None);
        var conflict = await Assert.ThrowsAsync<DomainException>(() => direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None));

        var notification = Assert.Single(notifier.Sent).Notification;
        Assert.Equal(DirectAuthStatus.Denied, notification.Status);
        Assert.Null(notification.AccessToken);
        Assert.Null(notification.Patient);
        Assert.Equal((ErrorKind.Conflict, PartnerAuthErrors.AuthTransactionDecided), (conflict.Kind, conflict.Code));
        Assert.Equal(PartnerAuthStatus.Denied, store.Transactions[transactionId].Value.Status);
    }

    [Fact]
    public async Task GivenAnApproval_WhenApprovedAgain_ThenTheSameNotificationRequestId_SoOneDelivery()
    {
        var transactionId = await OpenAsync();

        var first = await direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None);
        var again = await direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None);

        Assert.Equal(first.NotificationRequestId, again.NotificationRequestId);
        Assert.Equal(first.NotificationRequestId, Assert.Single(notifier.Sent).RequestId);
        Assert.Single(store.Notices);
    }

    [Fact]
    public async Task GivenTheNotificationFailedToGoOutAfterTheAnswerWasStored_WhenThePatientAnswersAgain_ThenItIsSentThen()
    {
        var transactionId = await OpenAsync();
        notifier.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => direct.DecideAsync(Ravi, transactionId, approve: false, CancellationToken.None));
        var again = await direct.DecideAsync(Ravi, transactionId, approve: false, CancellationToken.None);

        var sent = Assert.Single(notifier.Sent);
        Assert.Equal((again.NotificationRequestId, DirectAuthStatus.Denied), (sent.RequestId, sent.Notification.Status));
        Assert.NotNull(store.Notices.Single().Value.Value.HandedOverAt);
    }

    [Fact]
    public async Task GivenAnotherPatientsTransaction_WhenDecided_ThenNotFound_AndNothingChangesOrIsSent()
    {
        var transactionId = await OpenAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => direct.DecideAsync(Someone, transactionId, approve: true, CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<DomainException>(() => direct.DecideAsync(Ravi, "not-a-uuid", approve: true, CancellationToken.None));

        Assert.Equal(PartnerAuthErrors.AuthTransactionNotFound, refused.Code);
        Assert.Equal(PartnerAuthErrors.AuthTransactionNotFound, unknown.Code);
        Assert.Empty(notifier.Sent);
        Assert.Equal(PartnerAuthStatus.Pending, store.Transactions[transactionId].Value.Status);
        Assert.Contains(rig.Audit.Events, e => e.Action == DirectAuthService.ApproveAction && e.Outcome == "NOT_FOUND" && e.Chain == "patient:" + Someone.Digits);
    }

    [Fact]
    public async Task GivenTheTransactionLifetimeHasPassed_WhenApproved_ThenGone_AndItIsNoLongerListed()
    {
        var transactionId = await OpenAsync();
        time.Advance(settings.AuthTransactionLifetime);

        var expired = await Assert.ThrowsAsync<DomainException>(() => direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None));

        Assert.Equal((ErrorKind.Gone, PartnerAuthErrors.AuthTransactionExpired), (expired.Kind, expired.Code));
        Assert.Empty(notifier.Sent);
        Assert.Empty(await direct.ListPendingAsync(Ravi, CancellationToken.None));
    }

    [Fact]
    public async Task GivenADirectTransaction_WhenThePartnerTriesToConfirmIt_ThenRefusedWithoutAToken()
    {
        var transactionId = await OpenAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() =>
            auth.ConfirmAsync(transactionId, "123456", null, Hospital, Guid.NewGuid().ToString(), CancellationToken.None));

        Assert.Equal(PartnerAuthErrors.ConfirmNotForDirect, refused.Code);
        Assert.Equal(PartnerAuthStatus.Pending, store.Transactions[transactionId].Value.Status);
    }

    [Fact]
    public async Task GivenANotification_WhenAnotherPartnerAcknowledgesIt_ThenNotFound_AndTheOwnerAcknowledgesOnceOrTwice()
    {
        var transactionId = await OpenAsync();
        var decision = await direct.DecideAsync(Ravi, transactionId, approve: true, CancellationToken.None);

        var foreign = await Assert.ThrowsAsync<DomainException>(() =>
            direct.AcknowledgeAsync("clinic-bridge", decision.NotificationRequestId, ok: true, Guid.NewGuid().ToString(), CancellationToken.None));
        Assert.Null(store.Notices.Single().Value.Value.AcknowledgedAt);
        await direct.AcknowledgeAsync(Hospital.PartnerId, decision.NotificationRequestId, ok: true, Guid.NewGuid().ToString(), CancellationToken.None);
        await direct.AcknowledgeAsync(Hospital.PartnerId, decision.NotificationRequestId, ok: true, Guid.NewGuid().ToString(), CancellationToken.None);

        Assert.Equal(PartnerAuthErrors.AuthNotificationNotFound, foreign.Code);
        Assert.Equal(time.GetUtcNow(), store.Notices.Single().Value.Value.AcknowledgedAt);
        Assert.Single(rig.Audit.Events, e => e.Action == DirectAuthService.AcknowledgeAction && e.Outcome == "ACKNOWLEDGED");
    }

    [Fact]
    public void GivenAnActiveAccount_WhenModesAreAsked_ThenDirectIsOfferedLast() =>
        Assert.Equal([AuthMode.MobileOtp, AuthMode.Demographics, AuthMode.Direct], PartnerAuthService.ModesFor(TestAccounts.RaviKumar(time), AuthPurpose.Link));

    [Fact]
    public void GivenATransaction_WhenItsNotificationRequestIdIsDerived_ThenAStableUuidDifferentPerTransaction()
    {
        var a = DirectAuthService.NotificationRequestId("0c1f2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e");

        Assert.Equal(a, DirectAuthService.NotificationRequestId("0c1f2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"));
        Assert.NotEqual(a, DirectAuthService.NotificationRequestId("1c1f2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e"));
        Assert.True(Guid.TryParse(a, out _));
    }
}

internal sealed class RecordingDirectNotifier : IDirectAuthNotifier
{
    public List<(PartnerAuthTransaction Transaction, string RequestId, DirectAuthNotification Notification)> Sent { get; } = [];

    /// <summary>When set, the next send fails (the callback store unavailable, or the process stopped) and clears it.</summary>
    public bool FailNext { get; set; }

    public Task NotifyAsync(PartnerAuthTransaction transaction, string requestId, DirectAuthNotification notification, CancellationToken ct)
    {
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("callback store unavailable");
        }

        Sent.Add((transaction, requestId, notification));
        return Task.CompletedTask;
    }
}

internal sealed class InMemoryPartnerAuthStore : IPartnerAuthTransactionStore
{
    public Dictionary<string, Versioned<PartnerAuthTransaction>> Transactions { get; } = [];

    public Dictionary<string, Versioned<PartnerAuthNotice>> Notices { get; } = [];

    public Task<Versioned<PartnerAuthTransaction>?> FindAsync(string transactionId, CancellationToken ct) =>
        Task.FromResult(Transactions.GetValueOrDefault(transactionId));

    public Task CreateAsync(PartnerAuthTransaction transaction, CancellationToken ct)
    {
        Transactions.Add(transaction.TransactionId, new Versioned<PartnerAuthTransaction>(transaction, Guid.NewGuid().ToString()));
        return Task.CompletedTask;
    }

    public Task ReplaceAsync(PartnerAuthTransaction transaction, string ifMatch, CancellationToken ct)
    {
        if (Transactions[transaction.TransactionId].ETag != ifMatch)
            throw new DomainException(ErrorKind.PreconditionFailed, "CONCURRENT_UPDATE", "changed meanwhile");
        Transactions[transaction.TransactionId] = new Versioned<PartnerAuthTransaction>(transaction, Guid.NewGuid().ToString());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PartnerAuthTransaction>> ListDirectAsync(string patientKey, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<PartnerAuthTransaction>>(Transactions.Values.Select(v => v.Value).Where(t => t.PatientKey == patientKey).Take(take).ToList());

    public Task<bool> TryCreateNoticeAsync(PartnerAuthNotice notice, CancellationToken ct) =>
        Task.FromResult(Notices.TryAdd(notice.RequestId, new Versioned<PartnerAuthNotice>(notice, Guid.NewGuid().ToString())));

    public Task<Versioned<PartnerAuthNotice>?> FindNoticeAsync(string requestId, CancellationToken ct) =>
        Task.FromResult(Notices.GetValueOrDefault(requestId));

    public Task<bool> TryReplaceNoticeAsync(PartnerAuthNotice notice, string ifMatch, CancellationToken ct)
    {
        if (Notices[notice.RequestId].ETag != ifMatch) return Task.FromResult(false);
        Notices[notice.RequestId] = new Versioned<PartnerAuthNotice>(notice, Guid.NewGuid().ToString());
        return Task.FromResult(true);
    }
}
