using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;

namespace Ndhm.UnitTests.HealthId;

internal sealed class InMemoryAccounts : IAbhaAccountStore
{
    public InMemoryDocuments<AbhaAccount> Documents { get; } = new(a => a.Id);

    public Task<Stored<AbhaAccount>?> FindAsync(AbhaNumber number, CancellationToken ct) => Task.FromResult(Documents.Find(number.Digits));
    public Task<string> CreateAsync(AbhaAccount account, CancellationToken ct) => Task.FromResult(Documents.Save(account, null, create: true));
    public Task<string> ReplaceAsync(AbhaAccount account, string ifMatch, CancellationToken ct) =>
        Task.FromResult(Documents.Save(account, ifMatch, create: false));
}

internal sealed class InMemoryClaims : IIdentityClaims
{
    public Dictionary<string, AbhaNumber> Aadhaar { get; } = new();
    public Dictionary<AbhaAddress, AbhaNumber> Addresses { get; } = new();

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

    public Task<bool> TryClaimAddressAsync(AbhaAddress address, AbhaNumber number, CancellationToken ct)
    {
        Addresses.TryAdd(address, number);
        return Task.FromResult(Addresses[address] == number);
    }
}

public class AbhaEnrolmentServiceTests
{
    private readonly RecordingSender sender = new();
    private readonly InMemoryAccounts accounts = new();
    private readonly InMemoryClaims claims = new();
    private readonly InMemoryReservations reservations = new();
    private readonly SimulatedAadhaarKyc kyc;
    private readonly OtpService otp;
    private readonly AbhaEnrolmentService service;

    public AbhaEnrolmentServiceTests()
    {
        var keys = new FixedKeySource();
        var hasher = new HmacIdentityHasher(keys);
        var time = Clock.New();
        otp = new OtpService(new InMemoryOtpTransactions(), new InMemoryOtpWindows(), sender, new HmacOtpHasher(keys),
            hasher, new SeededRandom(21), time);
        kyc = new SimulatedAadhaarKyc(new SimulatedKycProvider(), otp, hasher);
        service = new AbhaEnrolmentService(kyc, otp, new AbhaNumberAllocator(new AbhaNumberGenerator(new SeededRandom(4)), reservations),
            accounts, claims, hasher, new AbhaAddressOptions(), time);
    }

    private async Task<EnrolmentResult> EnrolAsync(string aadhaar)
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse(aadhaar), CancellationToken.None);
        return await service.EnrolByAadhaarAsync(sent.TxnId, sender.Sent[^1].Otp, new AssistedEnrolment("worker-1"), CancellationToken.None);
    }

    [Fact]
    public async Task GivenATestIdentity_WhenEnrolledByAadhaar_ThenAVerifiedAccountWithAReservedNumberIsOpened()
    {
        var result = await EnrolAsync("999900000037");

        Assert.True(result.IsNew);
        var account = accounts.Documents.Find(result.Account.Id)!.Document;
        Assert.Equal("Meenakshi Sundaram", account.Name!.FullName);
        Assert.Equal(KycStatus.Verified, account.KycStatus);
        Assert.True(account.MobileVerified);
        Assert.Equal("600004", account.Address!.PinCode);
        Assert.Contains(account.AbhaNumber, reservations.Reserved);
        Assert.Equal(account.AbhaNumber, claims.Aadhaar[account.AadhaarHash!]);
    }

    [Fact]
    public async Task GivenAnAadhaarAlreadyEnrolled_WhenEnrolledAgain_ThenTheExistingAccountIsReturned()
    {
        var first = await EnrolAsync("999900000037");
        var second = await EnrolAsync("999900000037");

        Assert.False(second.IsNew);
        Assert.Equal(first.Account.AbhaNumber, second.Account.AbhaNumber);
        Assert.Equal(1, accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenAnErasedAccount_WhenThePersonEnrolsAgain_ThenANewNumberIsIssuedAndTheOldStaysRetired()
    {
        var first = await EnrolAsync("999900000016");
        await service.EraseAsync(first.Account.AbhaNumber, CancellationToken.None);

        var again = await EnrolAsync("999900000016");

        Assert.True(again.IsNew);
        Assert.NotEqual(first.Account.AbhaNumber, again.Account.AbhaNumber);
        Assert.Equal(AbhaStatus.Deleted, accounts.Documents.Find(first.Account.Id)!.Document.Status);
        Assert.Contains(first.Account.AbhaNumber, reservations.Reserved);
    }

    [Fact]
    public async Task GivenAClaimThatOutlivedAnErasure_ThenEnrolmentDoesNotReviveTheRetiredNumber()
    {
        var first = await EnrolAsync("999900000016");
        var hash = first.Account.AadhaarHash!;
        var stored = accounts.Documents.Find(first.Account.Id)!;
        stored.Document.Erase(Clock.New());
        await accounts.ReplaceAsync(stored.Document, stored.ETag, CancellationToken.None); // crash before the release

        var again = await EnrolAsync("999900000016");

        Assert.True(again.IsNew);
        Assert.NotEqual(first.Account.AbhaNumber, again.Account.AbhaNumber);
        Assert.Equal(again.Account.AbhaNumber, claims.Aadhaar[hash]);
    }

    [Fact]
    public async Task GivenTwoAccounts_AnAddressClaimedByOneIsTakenForTheOther()
    {
        var asha = await EnrolAsync("999900000016");
        var ravi = await EnrolAsync("999900000028");

        var updated = await service.CreateAbhaAddressAsync(asha.Account.AbhaNumber, "asha.verma", true, CancellationToken.None);
        var retried = await service.CreateAbhaAddressAsync(asha.Account.AbhaNumber, "asha_verma", false, CancellationToken.None);
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.CreateAbhaAddressAsync(ravi.Account.AbhaNumber, "Asha.Verma@sbx", true, CancellationToken.None));

        Assert.Equal("asha.verma@sbx", updated.PreferredAbhaAddress!.Value);
        Assert.Equal(2, retried.AbhaAddresses.Count);
        Assert.Equal(HealthIdErrors.AbhaAddressTaken, error.Code);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Empty(accounts.Documents.Find(ravi.Account.Id)!.Document.AbhaAddresses);
    }

    [Fact]
    public async Task GivenAWrongOtp_NoAccountIsOpened()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse("999900000044"), CancellationToken.None);
        var wrong = sender.Sent[^1].Otp == "000000" ? "111111" : "000000";

        await Assert.ThrowsAsync<DomainException>(() => service.EnrolByAadhaarAsync(sent.TxnId, wrong, null, CancellationToken.None));

        Assert.Equal(0, accounts.Documents.Count);
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
        var issued = await otp.RequestAsync(OtpPurpose.MobileEnrolment, mobile, null, null, CancellationToken.None);
        await otp.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, sender.Sent[^1].Otp, CancellationToken.None);

        var account = await service.EnrolByMobileAsync(issued.TxnId, Details("9811111111"), CancellationToken.None);
        var again = await Assert.ThrowsAsync<DomainException>(() =>
            service.EnrolByMobileAsync(issued.TxnId, Details("9811111111"), CancellationToken.None));

        Assert.Equal(KycStatus.Unverified, account.KycStatus);
        Assert.True(account.MobileVerified);
        Assert.Null(account.AadhaarHash);
        Assert.Equal(HealthIdErrors.OtpAlreadyUsed, again.Code);
        Assert.Equal(1, accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenAnUnverifiedTransaction_WhenEnrolledByMobile_ThenRefused()
    {
        var issued = await otp.RequestAsync(OtpPurpose.MobileEnrolment, MobileNumber.Parse("9811111111"), null, null, CancellationToken.None);
        await Assert.ThrowsAsync<DomainException>(() =>
            service.EnrolByMobileAsync(issued.TxnId, Details("9811111111"), CancellationToken.None));
        Assert.Equal(0, accounts.Documents.Count);
    }

    [Fact]
    public async Task GivenAnOtpVerifiedForAnotherMobile_WhenEnrolledByMobile_ThenTxnNotFound()
    {
        var issued = await otp.RequestAsync(OtpPurpose.MobileEnrolment, MobileNumber.Parse("9811111111"), null, null, CancellationToken.None);
        await otp.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, sender.Sent[^1].Otp, CancellationToken.None);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            service.EnrolByMobileAsync(issued.TxnId, Details("9822222222"), CancellationToken.None));

        Assert.Equal(HealthIdErrors.TxnNotFound, error.Code);
    }
}
