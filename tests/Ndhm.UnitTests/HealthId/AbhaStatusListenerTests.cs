using Microsoft.Extensions.Time.Testing;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;

namespace Ndhm.UnitTests.HealthId;

/// <summary>Health ID tells <see cref="IAbhaStatusListener"/>s of deactivation, reactivation and erasure, so HIPs hear of them.</summary>
public sealed class AbhaStatusListenerTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;
    private readonly RecordingListener listener;
    private readonly AbhaAccountService lifecycle;

    public AbhaStatusListenerTests()
    {
        rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100 });
        listener = new RecordingListener(rig);
        lifecycle = new AbhaAccountService(rig.Accounts, rig.Claims, rig.Otp, time, new HealthIdAudit(rig.Audit, new NoCurrentActor()),
            statusListeners: [listener]);
    }

    private async Task<AbhaNumber> EnrolledAsync()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None);
        var number = (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.LastOtp, null, None)).Account.AbhaNumber;
        time.Advance(TimeSpan.FromMinutes(1));
        return number;
    }

    private async Task<AbhaAccount> ConfirmedAsync(AbhaNumber number, OtpPurpose purpose)
    {
        var txnId = (await lifecycle.RequestConfirmationOtpAsync(number, purpose, null, None)).TxnId;
        return purpose == OtpPurpose.AccountDeactivation
            ? await lifecycle.DeactivateAsync(number, txnId, rig.LastOtp, None)
            : await lifecycle.EraseAsync(number, txnId, rig.LastOtp, None);
    }

    [Fact]
    public async Task GivenAnActiveAccount_WhenDeactivatedThenReactivated_ThenEachChangeIsToldAfterItIsStored_NamedByItsTime()
    {
        var number = await EnrolledAsync();

        var deactivated = await ConfirmedAsync(number, OtpPurpose.AccountDeactivation);
        time.Advance(TimeSpan.FromMinutes(5));
        var reactivated = await lifecycle.ReactivateAsync(number, None);

        Assert.Equal(
        [
            (new AbhaStatusChanged(number.Digits, AbhaStatusChange.Deactivated, deactivated.DeactivatedAt!.Value.UtcDateTime.ToString("O")), AbhaStatus.Deactivated),
            (new AbhaStatusChanged(number.Digits, AbhaStatusChange.Reactivated, reactivated.ReactivatedAt!.Value.UtcDateTime.ToString("O")), AbhaStatus.Active),
        ], listener.Told);
        Assert.Equal(time.GetUtcNow(), reactivated.ReactivatedAt);
    }

    [Fact]
    public async Task GivenADeactivatedAccount_WhenTheDeactivationIsRepeated_ThenTheSameChangeIsToldAgain_SoAListenerCanSendItOnce()
    {
        var number = await EnrolledAsync();
        await ConfirmedAsync(number, OtpPurpose.AccountDeactivation);
        time.Advance(TimeSpan.FromMinutes(2));

        await ConfirmedAsync(number, OtpPurpose.AccountDeactivation);
        await lifecycle.ReactivateAsync(number, None);
        time.Advance(TimeSpan.FromMinutes(2));
        await lifecycle.ReactivateAsync(number, None);

        Assert.Equal(4, listener.Told.Count);
        Assert.Equal(listener.Told[0].Change, listener.Told[1].Change);
        Assert.Equal(listener.Told[2].Change, listener.Told[3].Change);
    }

    [Fact]
    public async Task GivenAnAccountNeverDeactivated_WhenReactivated_ThenNothingIsTold()
    {
        var number = await EnrolledAsync();

        await lifecycle.ReactivateAsync(number, None);

        Assert.Empty(listener.Told);
    }

    [Fact]
    public async Task GivenAnAccount_WhenErased_ThenTheErasureIsToldBeforeItIsStored_WhileThePatientsDataIsStillReadable()
    {
        var number = await EnrolledAsync();

        await ConfirmedAsync(number, OtpPurpose.AccountDeletion);

        var (change, statusWhenTold) = Assert.Single(listener.Told);
        Assert.Equal(new AbhaStatusChanged(number.Digits, AbhaStatusChange.Deleted, AbhaAccountService.ErasureOccurrence), change);
        Assert.Equal(AbhaStatus.Active, statusWhenTold);
        Assert.Equal(AbhaStatus.Deleted, rig.Accounts.Documents.Find(number.Digits)!.Value.Status);
    }

    [Fact]
    public async Task GivenAListenerThatFails_WhenTheAccountIsDeactivated_ThenTheRequestFails_AndItsRepeatTellsTheSameChange()
    {
        var number = await EnrolledAsync();
        listener.FailNext = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => ConfirmedAsync(number, OtpPurpose.AccountDeactivation));
        time.Advance(TimeSpan.FromMinutes(1));
        await ConfirmedAsync(number, OtpPurpose.AccountDeactivation);

        Assert.Equal(2, listener.Told.Count);
        Assert.Equal(listener.Told[0].Change, listener.Told[1].Change);
    }

    /// <summary>Each change told, with the account's stored status at that moment.</summary>
    private sealed class RecordingListener(HealthIdRig rig) : IAbhaStatusListener
    {
        public List<(AbhaStatusChanged Change, AbhaStatus StoredStatus)> Told { get; } = [];

        public bool FailNext { get; set; }

        public Task OnStatusChangedAsync(AbhaStatusChanged change, CancellationToken ct)
        {
            Told.Add((change, rig.Accounts.Documents.Find(change.AbhaNumber)!.Value.Status));
            if (!FailNext) return Task.CompletedTask;
            FailNext = false;
            throw new InvalidOperationException("listener unavailable");
        }
    }
}
