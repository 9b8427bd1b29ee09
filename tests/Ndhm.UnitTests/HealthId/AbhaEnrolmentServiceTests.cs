using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

internal sealed class InMemoryAccounts : IAbhaAccountStore
{
    public InMemoryDocuments<AbhaAccount> Documents { get; } = new(a => a.Id);

    public Task<Versioned<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct) => Task.FromResult(Documents.Find(number.Digits));
    public Task<string> CreateAsync(AbhaAccount account, CancellationToken ct) => Task.FromResult(Documents.Save(account, null, create: true));
    /// <summary>When set, the next replace throws before writing anything (a process stopped between two writes).</summary>
    public bool CrashOnNextReplace { get; set; }

    /// <summary>When set, the next replace fails as if someone had changed the account meanwhile.</summary>
    public bool ConflictOnNextReplace { get; set; }

    public Task<string> ReplaceAsync(AbhaAccount account, string ifMatch, CancellationToken ct)
    {
        if (CrashOnNextReplace)
        {
            CrashOnNextReplace = false;
            throw new InvalidOperationException("stopped before the account was written");
        }

        if (ConflictOnNextReplace)
        {
            ConflictOnNextReplace = false;
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "Concurrent update");
        }

        return Task.FromResult(Documents.Save(account, ifMatch, create: false));
    }

    public Task<IReadOnlyList<AbhaNumber>> FindByMobileHashAsync(string mobileHash, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AbhaNumber>>(Documents.All
            .Where(a => a.MobileHash == mobileHash && a.MobileVerified && a.Status != AbhaStatus.Deleted).Select(a => a.AbhaNumber).ToList());

    /// <summary>No demographic index in memory: demographic deduplication is proven against Cosmos (integration tests).</summary>
    public Task<IReadOnlyList<AbhaNumber>> FindByDemographicHashAsync(string demographicHash, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AbhaNumber>>([]);

    public Task<IReadOnlyList<AbhaNumber>> FindByDemographicBlockAsync(string blockHash, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<AbhaNumber>>([]);
}

internal sealed class InMemoryClaims : IIdentityClaims
{
    public Dictionary<string, AbhaNumber> Aadhaar { get; } = new();
    public Dictionary<AbhaAddress, AbhaNumber> Addresses { get; } = new();
    public Dictionary<AbhaAddress, AbhaLookupView> Views { get; } = new();

    /// <summary>When set, the next sync throws before writing anything (a process stopped between two writes).</summary>
    public bool CrashOnNextSync { get; set; }

    public Task<AbhaNumber?> FindAadhaarHolderAsync(string aadhaarHash, CancellationToken ct) =>
        Task.FromResult(Aadhaar.GetValueOrDefault(aadhaarHash));

    public Task<AbhaNumber> ClaimAadhaarAsync(string aadhaarHash, AbhaNumber number, CancellationToken ct)
    {
        Aadhaar.TryAdd(aadhaarHash, number);
        return Task.FromResult(Aadhaar[aadhaarHash]);
    }

    public Task ReleaseAadhaarAsync(string aadhaarHash, CancellationToken ct)
    {
        Aadhaar.Remove(aadhaarHash);
        return Task.CompletedTask;
    }

    public Task<AbhaAddressClaim?> FindAddressClaimAsync(AbhaAddress address, CancellationToken ct) =>
        Task.FromResult(Addresses.TryGetValue(address, out var holder) ? new AbhaAddressClaim(holder, Views.GetValueOrDefault(address)) : null);

    public Task<bool> TryClaimAddressAsync(AbhaAddress address, AbhaLookupView view, CancellationToken ct)
    {
        if (Addresses.TryAdd(address, view.AbhaNumber)) Views[address] = view;
        return Task.FromResult(Addresses[address] == view.AbhaNumber);
    }

    public Task SyncAddressViewsAsync(IEnumerable<AbhaAddress> addresses, AbhaLookupView view, CancellationToken ct)
    {
        if (CrashOnNextSync)
        {
            CrashOnNextSync = false;
            throw new InvalidOperationException("stopped before the claims were written");
        }

        foreach (var address in addresses)
        {
            if (Addresses.GetValueOrDefault(address) == view.AbhaNumber && view.ShouldReplace(Views.GetValueOrDefault(address)))
                Views[address] = view;
        }

        return Task.CompletedTask;
    }
}

public class AbhaEnrolmentServiceTests
{
    private readonly HealthIdRig rig = new(Clock.New());

    private async Task<EnrolmentResult> EnrolAsync(string aadhaar)
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse(aadhaar), CancellationToken.None);
        return await rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, rig.Sender.Sent[^1].Otp, new AssistedEnrolment("worker-1"), CancellationToken.None);
    }

    [Fact]
    public async Task GivenATestIdentity_WhenEnrolledByAadhaar_ThenAVerifiedAccountWithAReservedNumberIsOpened()
    {
        var result = await EnrolAsync("999900000037");

        Assert.True(result.IsNew);
        var account = rig.Accounts.Documents.Find(result.Account.Id)!.Value;
        Assert.Equal("Meenakshi Sundaram", account.Name!.FullName);
        Assert.Equal(KycStatus.Verified, account.KycStatus);
        Assert.True(account.MobileVerified);
        Assert.Equal("600004", account.Address!.PinCode);
        Assert.Contains(account.AbhaNumber, rig.Reservations.Reserved);
        Assert.Equal(account.AbhaNumber, rig.Claims.Aadhaar[account.AadhaarHash!]);
    }

    [Fact]
    public async Task GivenAnAadhaarAlreadyEnrolled_WhenEnrolledAgain_ThenTheExistingAccountIsReturned()
    {
        var first = await EnrolAsync("999900000037");
        var second = await EnrolAsync("999900000037");

        Assert.False(second.IsNew);
        Assert.Equal(first.Account.AbhaNumber, second.Account.AbhaNumber);
        Assert.Equal(1, rig.Accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenAnErasedAccount_WhenThePersonEnrolsAgain_ThenANewNumberIsIssuedAndTheOldStaysRetired()
    {
        var first = await EnrolAsync("999900000016");
        var confirm = await rig.Lifecycle.RequestConfirmationOtpAsync(first.Account.AbhaNumber, OtpPurpose.AccountDeletion, null, CancellationToken.None);
        await rig.Lifecycle.EraseAsync(first.Account.AbhaNumber, confirm.TxnId, rig.Sender.Sent[^1].Otp, CancellationToken.None);

        var again = await EnrolAsync("999900000016");

        Assert.True(again.IsNew);
        Assert.NotEqual(first.Account.AbhaNumber, again.Account.AbhaNumber);
        Assert.Equal(AbhaStatus.Deleted, rig.Accounts.Documents.Find(first.Account.Id)!.Value.Status);
        Assert.Contains(first.Account.AbhaNumber, rig.Reservations.Reserved);
    }

    [Fact]
    public async Task GivenAClaimThatOutlivedAnErasure_ThenEnrolmentDoesNotReviveTheRetiredNumber()
    {
        var first = await EnrolAsync("999900000016");
        var hash = first.Account.AadhaarHash!;
        var stored = rig.Accounts.Documents.Find(first.Account.Id)!;
        stored.Value.Erase(Clock.New());
        await rig.Accounts.ReplaceAsync(stored.Value, stored.ETag, CancellationToken.None); // crash before the release

        var again = await EnrolAsync("999900000016");

        Assert.True(again.IsNew);
        Assert.NotEqual(first.Account.AbhaNumber, again.Account.AbhaNumber);
        Assert.Equal(again.Account.AbhaNumber, rig.Claims.Aadhaar[hash]);
    }

    [Fact]
    public async Task GivenTwoAccounts_AnAddressClaimedByOneIsTakenForTheOther()
    {
        var asha = await EnrolAsync("999900000016");
        var ravi = await EnrolAsync("999900000028");

        var updated = await rig.Enrolment.CreateAbhaAddressAsync(asha.Account.AbhaNumber, "asha.verma", true, CancellationToken.None);
        var retried = await rig.Enrolment.CreateAbhaAddressAsync(asha.Account.AbhaNumber, "asha_verma", false, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Enrolment.CreateAbhaAddressAsync(ravi.Account.AbhaNumber, "Asha.Verma@sbx", true, CancellationToken.None));

        Assert.Equal("asha.verma@sbx", updated.PreferredAbhaAddress!.Value);
        Assert.Equal(2, retried.AbhaAddresses.Count);
        Assert.Equal(HealthIdErrors.AbhaAddressTaken, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Empty(rig.Accounts.Documents.Find(ravi.Account.Id)!.Value.AbhaAddresses);
        // Both claims show Asha's account as saved last: the first address was preferred, and still is.
        var saved = rig.Accounts.Documents.Find(asha.Account.Id)!.Value.ToLookupView();
        Assert.Equal(saved, rig.Claims.Views[AbhaAddress.Parse("asha.verma", "sbx")]);
        Assert.Equal(saved, rig.Claims.Views[AbhaAddress.Parse("asha_verma", "sbx")]);
        Assert.Equal("asha.verma@sbx", saved.PreferredAbhaAddress!.Value);
    }

    [Fact]
    public async Task GivenADeactivatedAccount_WhenCreatingAnAddress_ThenNothingIsClaimed()
    {
        var asha = await EnrolAsync("999900000016");
        var stored = rig.Accounts.Documents.Find(asha.Account.Id)!;
        stored.Value.Deactivate(Clock.New());
        await rig.Accounts.ReplaceAsync(stored.Value, stored.ETag, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Enrolment.CreateAbhaAddressAsync(asha.Account.AbhaNumber, "asha.verma", true, CancellationToken.None));

        Assert.Equal(HealthIdErrors.AccountDeactivated, error.Code);
        Assert.Empty(rig.Claims.Addresses);
    }

    [Fact]
    public async Task GivenAWrongOtp_NoAccountIsOpened()
    {
        var sent = await rig.Kyc.SendOtpAsync(AadhaarNumber.Parse("999900000044"), CancellationToken.None);
        var wrong = rig.Sender.Sent[^1].Otp == "000000" ? "111111" : "000000";

        await Assert.ThrowsAsync<DomainException>(() => rig.Enrolment.EnrolByAadhaarAsync(sent.TxnId, wrong, null, CancellationToken.None));

        Assert.Equal(0, rig.Accounts.Documents.Count);
    }

    private static MobileEnrolmentDetails Details(string mobile) =>
        new(MobileNumber.Parse(mobile), PersonName.Create("Kavya", null, "Rao"), Gender.F, new DateOfBirth(1994))
        {
            Email = "kavya@example.com",
        };

    [Fact]
    public async Task GivenAVerifiedMobileOtp_WhenEnrolledByMobile_ThenAnUnverifiedAccountIsOpenedOnlyOnce()
    {
        var mobile = MobileNumber.Parse("9811111111");
        var issued = await rig.Otp.RequestAsync(OtpPurpose.MobileEnrolment, mobile, null, null, CancellationToken.None);
        await rig.Otp.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, rig.Sender.Sent[^1].Otp, CancellationToken.None);

        var account = await rig.Enrolment.EnrolByMobileAsync(issued.TxnId, Details("9811111111"), CancellationToken.None);
        var again = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Enrolment.EnrolByMobileAsync(issued.TxnId, Details("9811111111"), CancellationToken.None));

        Assert.Equal(KycStatus.Unverified, account.KycStatus);
        Assert.True(account.MobileVerified);
        Assert.Null(account.AadhaarHash);
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, again.Code);
        Assert.Equal(1, rig.Accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenAnUnverifiedTransaction_WhenEnrolledByMobile_ThenRefused()
    {
        var issued = await rig.Otp.RequestAsync(OtpPurpose.MobileEnrolment, MobileNumber.Parse("9811111111"), null, null, CancellationToken.None);
        await Assert.ThrowsAsync<DomainException>(() =>
            rig.Enrolment.EnrolByMobileAsync(issued.TxnId, Details("9811111111"), CancellationToken.None));
        Assert.Equal(0, rig.Accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenAnOtpVerifiedForAnotherMobile_WhenEnrolledByMobile_ThenTxnNotFound()
    {
        var issued = await rig.Otp.RequestAsync(OtpPurpose.MobileEnrolment, MobileNumber.Parse("9811111111"), null, null, CancellationToken.None);
        await rig.Otp.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, rig.Sender.Sent[^1].Otp, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Enrolment.EnrolByMobileAsync(issued.TxnId, Details("9822222222"), CancellationToken.None));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
    }
}
