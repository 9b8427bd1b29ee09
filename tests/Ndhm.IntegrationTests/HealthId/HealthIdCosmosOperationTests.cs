using System.Security.Cryptography;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.HealthId.Verification;
using Ndhm.Audit;
using Ndhm.Infrastructure.Audit;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.HealthId;
using Ndhm.IntegrationTests.Support;
using Ndhm.Privacy;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// The adapters against the emulator through a client with a counting handler: how many Cosmos requests each
/// Health ID operation costs. (The containers exist: the sandbox host creates them at start-up.)
/// </summary>
public sealed class HealthIdCosmosOperationTests : IAsyncLifetime
{
    private readonly CountingHandler counter = new();
    private Microsoft.Azure.Cosmos.CosmosClient client = null!;
    private CosmosAbhaAccountStore accounts = null!;
    private CosmosIdentityClaims claims = null!;
    private AbhaEnrolmentService enrolment = null!;
    private SimulatedAadhaarKyc kyc = null!;
    private RecordingSender sender = null!;
    private TestIdentity identity = null!;
    private OtpService otp = null!;
    private AbhaAccountService lifecycle = null!;
    private AbhaVerification verification = null!;
    private PrivacyServicesForTest privacy = null!;
    private readonly CallerIdentity hip = new("partner-count", new HashSet<string> { Roles.Hip }, "jti", DateTimeOffset.UtcNow.AddHours(1));

    public async Task InitializeAsync()
    {
        client = HealthIdCosmos.CreateClient(counter);
        await new CosmosDatabaseInitializer(client, HealthIdCosmos.Settings.Database).InitializeAsync();
        var settings = HealthIdCosmos.Settings;
        var time = TimeProvider.System;
        var keys = new FixedKeys();
        var hasher = new HmacIdentityHasher(keys);
        sender = new RecordingSender();
        otp = new OtpService(new CosmosOtpTransactionStore(client, settings), new CosmosMobileOtpWindowStore(client, settings),
            sender, new HmacOtpHasher(keys), hasher, CryptoRandomSource.Instance, time,
            // The counters live on the uncounted client: the operation counts here are Health ID's own.
            new OtpTargetLimits(new Ndhm.Infrastructure.RateLimits.CosmosRateLimiter(SandboxCosmos.Client, settings, TimeProvider.System),
                Ndhm.Core.RateLimits.RateLimitPolicies.FromSettings(n => n.EndsWith("__Limit", StringComparison.Ordinal) ? "1000000" : null), hasher));
        identity = HealthIdHostFixture.NewIdentity();
        var directory = new SimulatedKycProvider([new KycTestIdentity
        {
            AadhaarNumber = identity.Aadhaar, FirstName = "Count", LastName = "Person", Gender = "M", BirthDate = "1980-01-01",
            PinCode = "411001", Mobile = identity.Mobile,
        }]);
        kyc = new SimulatedAadhaarKyc(directory, otp, hasher);
        // Data keys through the counting client too: a cold key cache costs one data-keys point read per patient.
        privacy = new PrivacyServicesForTest(client, settings, PrivacyServicesForTest.SandboxKeyVault);
        accounts = new CosmosAbhaAccountStore(client, settings, new PlaintextFieldEncryptor(privacy.Fields), privacy.Ring);
        claims = new CosmosIdentityClaims(client, settings, time, privacy.Fields);
        var audit = new HealthIdAudit(new AuditTrail(new CosmosAuditStore(client, settings), time), new NoCurrentAuditActor());
        enrolment = new AbhaEnrolmentService(kyc, otp, new AbhaNumberAllocator(new AbhaNumberGenerator(CryptoRandomSource.Instance),
            new CosmosAbhaNumberReservations(client, settings, time)), accounts, claims, hasher, new AbhaAddressOptions(), time, audit);
        lifecycle = new AbhaAccountService(accounts, claims, otp, time, audit);
        verification = new AbhaVerification(new AbhaAccountLookup(accounts, claims, new AbhaAddressOptions()), audit);
    }

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GivenAVerifiedAadhaarOtp_WhenEnrolling_ThenAtMostThreeHealthIdWritesAndLookupsAreOnePointRead()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse(identity.Aadhaar), default);
        counter.Reset();

        var result = await enrolment.EnrolByAadhaarAsync(sent.TxnId, sender.Last!.Otp, null, default);
        var enrolWrites = counter.Count("health-ids", CountingHandler.IsWrite);
        counter.Reset();
        var found = await accounts.FindAsync(result.Account.AbhaNumber, default);
        var lookupRequests = counter.Requests.Count;

        Assert.True(result.IsNew);
        Assert.NotNull(found);
        // The number reservation, the Aadhaar claim and the account.
        Assert.Equal(3, enrolWrites);
        Assert.Equal(1, lookupRequests);
    }

    [Fact]
    public async Task GivenAColdDataKeyCache_WhenLookingUpAnAccount_ThenOneMorePointReadFetchesThePatientsDataKey()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse(identity.Aadhaar), default);
        var number = (await enrolment.EnrolByAadhaarAsync(sent.TxnId, sender.Last!.Otp, null, default)).Account.AbhaNumber;
        privacy.Cache.Clear();
        counter.Reset();

        var found = await accounts.FindAsync(number, default);

        Assert.Equal("Count Person", found!.Value.Name!.FullName);
        Assert.Equal(new[] { "GET" }, counter.For("health-ids").Select(r => r.Method));
        Assert.Equal(new[] { "GET" }, counter.For("data-keys").Select(r => r.Method));
        Assert.Equal(2, counter.Requests.Count);
    }

    [Fact]
    public async Task GivenAClaimedAddress_WhenResolvingIt_ThenOnePointReadFindsTheHolder()
    {
        var number = new AbhaNumberGenerator(CryptoRandomSource.Instance).Next();
        var address = AbhaAddress.Parse("c" + Guid.NewGuid().ToString("N")[..12], "sbx");
        var view = new AbhaLookupView(number, AbhaStatus.Active, "Claim Holder", Gender.F, 1990, address, DateTimeOffset.UtcNow);
        Assert.True(await claims.TryClaimAddressAsync(address, view, default));
        counter.Reset();

        var holder = await claims.FindAddressHolderAsync(address, default);

        Assert.Equal(number, holder);
        Assert.Single(counter.Requests);
    }

    [Fact]
    public async Task GivenAnAddress_WhenAPartnerVerifiesIt_ThenOnePointReadInHealthIds_AndOneAuditWrite()
    {
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse(identity.Aadhaar), default);
        var number = (await enrolment.EnrolByAadhaarAsync(sent.TxnId, sender.Last!.Otp, null, default)).Account.AbhaNumber;
        var address = NewAddress();
        await enrolment.CreateAbhaAddressAsync(number, address.Value, true, default);
        counter.Reset();

        var verified = await verification.VerifyAsync(address.Value, hip, "req-1", default);

        Assert.Equal(number.Formatted, verified.AbhaNumber);
        Assert.Equal("Count Person", verified.Name);
        Assert.Equal(1980, verified.YearOfBirth);
        Assert.Equal(address.Value, verified.PreferredAbhaAddress);
        AssertOneHealthIdsPointReadAndOneAuditWrite();
    }

    [Fact]
    public async Task GivenAChangingAccount_ThenEachVerificationByAddressShowsItsStateInOnePointRead()
    {
        var (number, mobile) = await EnrolByMobileAsync();
        var address = NewAddress();
        await enrolment.CreateAbhaAddressAsync(number, address.Value, true, default);

        await lifecycle.UpdateProfileAsync(number, new AbhaProfileUpdate { Name = PersonName.Create("Renamed", null, "Person") }, default);
        var renamed = await VerifyCountingAsync(address);
        await lifecycle.DeactivateAsync(number, await ConfirmAsync(number, mobile, OtpPurpose.AccountDeactivation), sender.Last!.Otp, default);
        var deactivated = await VerifyCountingAsync(address);
        await lifecycle.ReactivateAsync(number, default);
        var reactivated = await VerifyCountingAsync(address);
        await lifecycle.EraseAsync(number, await ConfirmAsync(number, mobile, OtpPurpose.AccountDeletion), sender.Last!.Otp, default);
        counter.Reset();
        var deleted = await Assert.ThrowsAsync<DomainException>(() => verification.VerifyAsync(address.Value, hip, null, default));

        Assert.Equal("Renamed Person", renamed.Name);
        Assert.Equal(("DEACTIVATED", null, null), (deactivated.AbhaStatus, deactivated.Name, deactivated.YearOfBirth));
        Assert.Equal(("ACTIVE", "Renamed Person"), (reactivated.AbhaStatus, reactivated.Name));
        Assert.Equal(HealthIdErrors.AccountDeleted, deleted.Code);
        AssertOneHealthIdsPointReadAndOneAuditWrite();
        var claim = await claims.FindAddressClaimAsync(address, default);
        Assert.Equal(number, claim!.Holder);
        Assert.Equal(new AbhaLookupView(number, AbhaStatus.Deleted, null, null, null, null, claim.View!.AccountUpdatedAt), claim.View);
    }

    [Fact]
    public async Task GivenAnAddressClaimWrittenBeforeViews_ThenItIsResolvedThroughTheAccount_UntilTheAccountNextChanges()
    {
        var (number, _) = await EnrolByMobileAsync();
        var address = NewAddress();
        await enrolment.CreateAbhaAddressAsync(number, address.Value, true, default);
        var container = client.GetContainer(HealthIdCosmos.Settings.Database, CosmosContainers.HealthIds.Name);
        await container.UpsertItemAsync(new HealthIdClaimDocument(address.Value, address.Value, "addressClaim", number.Digits,
            DateTimeOffset.UtcNow), new PartitionKey(address.Value));
        counter.Reset();

        var legacy = await verification.VerifyAsync(address.Value, hip, null, default);
        var legacyRequests = counter.For("health-ids");
        await lifecycle.UpdateProfileAsync(number, new AbhaProfileUpdate { Email = "someone@example.org" }, default);
        counter.Reset();
        var synced = await verification.VerifyAsync(address.Value, hip, null, default);

        Assert.Equal(2, legacyRequests.Count(r => r.Method == "GET"));
        Assert.Equal(2, legacyRequests.Count);
        Assert.Equal(legacy, synced);
        Assert.Equal("Mobile Person", synced.Name);
        AssertOneHealthIdsPointReadAndOneAuditWrite();
    }

    private static AbhaAddress NewAddress() => AbhaAddress.Parse("c" + Guid.NewGuid().ToString("N")[..12], "sbx");

    private async Task<(AbhaNumber Number, MobileNumber Mobile)> EnrolByMobileAsync()
    {
        var mobile = MobileNumber.Parse(HealthIdHostFixture.NewIdentity().Mobile);
        var issued = await otp.RequestAsync(OtpPurpose.MobileEnrolment, mobile, null, null, default);
        await otp.VerifyAsync(issued.TxnId, OtpPurpose.MobileEnrolment, sender.Last!.Otp, default);
        var account = await enrolment.EnrolByMobileAsync(issued.TxnId,
            new MobileEnrolmentDetails(mobile, PersonName.Create("Mobile", null, "Person"), Gender.F, new DateOfBirth(1994)), default);
        return (account.AbhaNumber, mobile);
    }

    private async Task<string> ConfirmAsync(AbhaNumber number, MobileNumber mobile, OtpPurpose purpose)
    {
        var issued = await lifecycle.RequestConfirmationOtpAsync(number, purpose, null, default);
        Assert.Equal(mobile, sender.Last!.To);
        return issued.TxnId;
    }

    private async Task<AbhaVerificationResult> VerifyCountingAsync(AbhaAddress address)
    {
        counter.Reset();
        var response = await verification.VerifyAsync(address.Value, hip, null, default);
        AssertOneHealthIdsPointReadAndOneAuditWrite();
        return response;
    }

    private void AssertOneHealthIdsPointReadAndOneAuditWrite()
    {
        // A point read is a GET of .../docs/{id}; a query would be a POST to the collection.
        var healthIds = counter.For("health-ids");
        Assert.Equal(new[] { ("GET", true) }, healthIds.Select(r => (r.Method, r.Uri.Contains("/docs/", StringComparison.Ordinal))));
        // The audit write is one create on the patient's chain. Before it, the trail reads the chain's head (a
        // query, plus the query plan the SDK may fetch) only when this instance has not yet seen that chain.
        Assert.Equal(1, counter.Creates("audit"));
        Assert.Equal(0, counter.Count("audit", m => m is "PUT" or "DELETE" or "PATCH"));
        Assert.InRange(counter.QueriesTo("audit"), 0, 2);
    }

    private sealed class FixedKeys : IHealthIdKeySource
    {
        private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
        public ValueTask<byte[]> GetKeyAsync(HealthIdKeyPurpose purpose, CancellationToken ct) => ValueTask.FromResult(Key);
    }

    private sealed class RecordingSender : IOtpSender
    {
        public OtpDelivery? Last { get; private set; }

        public Task SendAsync(OtpDelivery delivery, CancellationToken ct)
        {
            Last = delivery;
            return Task.CompletedTask;
        }
    }
}
