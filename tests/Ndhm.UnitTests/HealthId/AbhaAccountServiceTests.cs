using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

public class AbhaAccountServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly AbhaAddress Preferred = AbhaAddress.Parse("asha.verma", "sbx");
    private static readonly AbhaAddress Other = AbhaAddress.Parse("asha_verma1990", "sbx");
    private readonly FakeTimeProvider time = Clock.New();
    private readonly HealthIdRig rig;

    // Many OTPs go to one mobile here; the hourly limit has its own tests.
    public AbhaAccountServiceTests() => rig = new HealthIdRig(time, OtpPolicy.Default with { MaxRequestsPerMobile = 100 });

    private string LastOtp => rig.LastOtp;

    private static string Wrong(string code) => code == "000000" ? "111111" : "000000";

    /// <summary>Asha Verma (Aadhaar-verified) with two addresses, the first preferred.</summary>
    private async Task<AbhaNumber> AshaAsync()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000016"), None);
        var number = (await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, LastOtp, null, None)).Account.AbhaNumber;
        await rig.Enrolment.CreateAbhaAddressAsync(number, Preferred.Handle, true, None);
        await rig.Enrolment.CreateAbhaAddressAsync(number, Other.Handle, false, None);
        time.Advance(TimeSpan.FromMinutes(1));
        return number;
    }

    private async Task<string> ConfirmationTxnAsync(AbhaNumber number, OtpPurpose purpose) =>
        (await rig.Lifecycle.RequestConfirmationOtpAsync(number, purpose, null, None)).TxnId;

    private Task<AbhaAccount> DeactivateAsync(AbhaNumber number, string txnId) => rig.Lifecycle.DeactivateAsync(number, txnId, LastOtp, None);

    private AbhaAccount Saved(AbhaNumber number) => rig.Accounts.Documents.Find(number.Digits)!.Value;

    private void AssertClaimsShow(AbhaLookupView expected)
    {
        Assert.Equal(expected, rig.Claims.Views[Preferred]);
        Assert.Equal(expected, rig.Claims.Views[Other]);
    }

    [Fact]
    public async Task GivenAnAccountWithAddresses_WhenDeactivatedWithItsOtp_ThenTheAccountAndEveryClaimShowOnlyTheStatus()
    {
        var number = await AshaAsync();
        var txnId = await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation);

        var account = await DeactivateAsync(number, txnId);

        Assert.Equal(AbhaStatus.Deactivated, Saved(number).Status);
        Assert.Equal("9000000001", rig.Sender.Sent[^1].To.Digits);
        Assert.Equal(OtpPurpose.AccountDeactivation, rig.Sender.Sent[^1].Purpose);
        AssertClaimsShow(new AbhaLookupView(number, AbhaStatus.Deactivated, null, null, null, null, account.UpdatedAt));
    }

    [Fact]
    public async Task GivenADeactivationStoppedAfterTheClaims_ThenTheAddressesAreAlreadyHidden_AndTheRetryCompletesIt()
    {
        var number = await AshaAsync();
        rig.Accounts.CrashOnNextReplace = true;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await DeactivateAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation)));

        Assert.Equal(AbhaStatus.Active, Saved(number).Status);
        Assert.Equal(AbhaStatus.Deactivated, rig.Claims.Views[Preferred].Status);
        Assert.Null(rig.Claims.Views[Other].Name);

        time.Advance(TimeSpan.FromSeconds(5));
        await DeactivateAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation));

        Assert.Equal(AbhaStatus.Deactivated, Saved(number).Status);
        AssertClaimsShow(Saved(number).ToLookupView());
    }

    [Fact]
    public async Task GivenADeactivationStoppedAfterTheClaims_WhenThePersonReactivatesInstead_ThenTheClaimsShowTheAccountAgain()
    {
        var number = await AshaAsync();
        rig.Accounts.CrashOnNextReplace = true;
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await DeactivateAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation)));

        var account = await rig.Lifecycle.ReactivateAsync(number, None);

        Assert.Equal(AbhaStatus.Active, account.Status);
        Assert.Equal("Asha Verma", rig.Claims.Views[Preferred].Name);
        AssertClaimsShow(Saved(number).ToLookupView());
    }

    [Fact]
    public async Task GivenAReactivationStoppedBeforeTheClaims_ThenTheyStayHidden_AndTheRetryShowsThemAgain()
    {
        var number = await AshaAsync();
        await DeactivateAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation));
        time.Advance(TimeSpan.FromDays(3));
        rig.Claims.CrashOnNextSync = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Lifecycle.ReactivateAsync(number, None));
        Assert.Equal(AbhaStatus.Active, Saved(number).Status);
        Assert.Equal(AbhaStatus.Deactivated, rig.Claims.Views[Preferred].Status);

        await rig.Lifecycle.ReactivateAsync(number, None);

        Assert.Equal(AbhaStatus.Active, Saved(number).Status);
        AssertClaimsShow(Saved(number).ToLookupView());
        Assert.Equal(Preferred, rig.Claims.Views[Other].PreferredAbhaAddress);
    }

    [Fact]
    public async Task GivenAProfileChangeStoppedBeforeTheClaims_ThenTheyKeepThePreviousView_AndTheRetryUpdatesThem()
    {
        var mobile = MobileNumber.Parse("9811111111");
        var issued = await rig.Otp.RequestAsync(OtpPurpose.MobileEnrolment, mobile, null, null, None);
        await rig.Otp.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, LastOtp, None);
        var number = (await rig.Enrolment.EnrolByMobileAsync(issued.TxnId,
            new MobileEnrolmentDetails(mobile, PersonName.Create("Kavya", null, "Rao"), Gender.F, new DateOfBirth(1994)), None)).AbhaNumber;
        await rig.Enrolment.CreateAbhaAddressAsync(number, "kavya.rao94", true, None);
        var address = AbhaAddress.Parse("kavya.rao94", "sbx");
        var update = new AbhaProfileUpdate { Name = PersonName.Create("Kavya", null, "Menon"), DateOfBirth = new DateOfBirth(1995) };
        rig.Claims.CrashOnNextSync = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Lifecycle.UpdateProfileAsync(number, update, None));
        Assert.Equal("Kavya Menon", Saved(number).Name!.FullName);
        Assert.Equal("Kavya Rao", rig.Claims.Views[address].Name);

        await rig.Lifecycle.UpdateProfileAsync(number, update, None);

        Assert.Equal("Kavya Menon", rig.Claims.Views[address].Name);
        Assert.Equal(1995, rig.Claims.Views[address].YearOfBirth);
    }

    [Fact]
    public async Task GivenANewPreferredAddress_ThenEveryClaimNamesIt()
    {
        var number = await AshaAsync();

        await rig.Lifecycle.SetPreferredAddressAsync(number, Other, None);

        AssertClaimsShow(Saved(number).ToLookupView());
        Assert.Equal(Other, rig.Claims.Views[Preferred].PreferredAbhaAddress);
    }

    [Fact]
    public async Task GivenAnErasureStoppedAfterTheClaims_ThenTheClaimsHoldNothingPersonal_AndTheRetryErasesTheAccount()
    {
        var number = await AshaAsync();
        var aadhaarHash = Saved(number).AadhaarHash!;
        rig.Accounts.CrashOnNextReplace = true;
        var first = await ConfirmationTxnAsync(number, OtpPurpose.AccountDeletion);
        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Lifecycle.EraseAsync(number, first, LastOtp, None));

        Assert.Equal(AbhaStatus.Active, Saved(number).Status);
        Assert.Equal(number, rig.Claims.Aadhaar[aadhaarHash]);
        Assert.Equal(new AbhaLookupView(number, AbhaStatus.Deleted, null, null, null, null, rig.Claims.Views[Preferred].AccountUpdatedAt),
            rig.Claims.Views[Preferred]);

        time.Advance(TimeSpan.FromSeconds(5));
        var second = await ConfirmationTxnAsync(number, OtpPurpose.AccountDeletion);
        await rig.Lifecycle.EraseAsync(number, second, LastOtp, None);

        Assert.Equal(AbhaStatus.Deleted, Saved(number).Status);
        Assert.False(rig.Claims.Aadhaar.ContainsKey(aadhaarHash));
        // The claims stay with the retired number, so the addresses are never handed to anyone else.
        Assert.Equal(number, rig.Claims.Addresses[Preferred]);
        AssertClaimsShow(Saved(number).ToLookupView());
        Assert.Null(rig.Claims.Views[Other].Name);
    }

    [Fact]
    public async Task GivenADeletionTransaction_WhenUsedToDeactivate_ThenTxnNotFound_AndNothingChanges()
    {
        var number = await AshaAsync();
        var deletion = await ConfirmationTxnAsync(number, OtpPurpose.AccountDeletion);
        var before = rig.Claims.Views[Preferred];

        var error = await Assert.ThrowsAsync<DomainException>(() => DeactivateAsync(number, deletion));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Equal(AbhaStatus.Active, Saved(number).Status);
        Assert.Equal(before, rig.Claims.Views[Preferred]);
    }

    [Fact]
    public async Task GivenAnotherAccountsTransaction_WhenUsedToErase_ThenTxnNotFound()
    {
        var asha = await AshaAsync();
        var ravi = (await rig.Enrolment.EnrolByAadhaarAsync((await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000028"), None)).TxnId,
            LastOtp, null, None)).Account.AbhaNumber;
        var ashas = await ConfirmationTxnAsync(asha, OtpPurpose.AccountDeletion);

        var error = await Assert.ThrowsAsync<DomainException>(() => rig.Lifecycle.EraseAsync(ravi, ashas, LastOtp, None));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
        Assert.Equal(AbhaStatus.Active, Saved(ravi).Status);
        Assert.Equal(AbhaStatus.Active, Saved(asha).Status);
    }

    [Fact]
    public async Task GivenAWrongOtp_ThenOtpInvalidWithAttemptsLeft_AndAReplayOfTheRightOneIsRefused()
    {
        var number = await AshaAsync();
        var txnId = await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation);
        var code = LastOtp;

        var wrong = await Assert.ThrowsAsync<DomainException>(() => rig.Lifecycle.DeactivateAsync(number, txnId, Wrong(code), None));
        await rig.Lifecycle.DeactivateAsync(number, txnId, code, None);
        var replay = await Assert.ThrowsAsync<DomainException>(() => rig.Lifecycle.DeactivateAsync(number, txnId, code, None));

        Assert.Equal(HealthIdErrors.OtpInvalid, wrong.Code);
        Assert.Equal(2, wrong.Extensions["attemptsLeft"]);
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, replay.Code);
        Assert.Equal(AbhaStatus.Deactivated, Saved(number).Status);
    }

    [Fact]
    public async Task GivenADeactivatedAccount_WhenDeactivatedAgain_ThenItStaysDeactivatedAndItsClaimsAreRewritten()
    {
        var number = await AshaAsync();
        await DeactivateAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation));
        var before = rig.Claims.Views[Preferred].AccountUpdatedAt;
        time.Advance(TimeSpan.FromMinutes(2));

        await DeactivateAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation));

        Assert.Equal(AbhaStatus.Deactivated, Saved(number).Status);
        Assert.True(rig.Claims.Views[Preferred].AccountUpdatedAt > before);
        AssertClaimsShow(Saved(number).ToLookupView());
    }

    [Fact]
    public async Task GivenAConcurrentChange_ThenTheConfirmedDeactivationIsAppliedToTheNewVersion()
    {
        var number = await AshaAsync();
        var txnId = await ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation);
        rig.Accounts.ConflictOnNextReplace = true;

        await DeactivateAsync(number, txnId);

        Assert.Equal(AbhaStatus.Deactivated, Saved(number).Status);
        AssertClaimsShow(Saved(number).ToLookupView());
    }

    [Fact]
    public async Task GivenAnErasedAccount_ThenNoConfirmationOtpIsSent()
    {
        var number = await AshaAsync();
        await rig.Lifecycle.EraseAsync(number, await ConfirmationTxnAsync(number, OtpPurpose.AccountDeletion), LastOtp, None);
        var sent = rig.Sender.Sent.Count;

        var error = await Assert.ThrowsAsync<DomainException>(() => ConfirmationTxnAsync(number, OtpPurpose.AccountDeactivation));

        Assert.Equal(HealthIdErrors.AccountDeleted, error.Code);
        Assert.Equal(sent, rig.Sender.Sent.Count);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ConfirmationTxnAsync(number, OtpPurpose.Login));
    }
}
