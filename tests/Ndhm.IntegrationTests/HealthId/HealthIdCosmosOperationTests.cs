using System.Security.Cryptography;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.HealthId;

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

    public async Task InitializeAsync()
    {
        client = HealthIdCosmos.CreateClient(counter);
        await new CosmosDatabaseInitializer(client, HealthIdCosmos.Settings.Database).InitializeAsync();
        var settings = HealthIdCosmos.Settings;
        var time = TimeProvider.System;
        var keys = new FixedKeys();
        var hasher = new HmacIdentityHasher(keys);
        sender = new RecordingSender();
        var otp = new OtpService(new CosmosOtpTransactionStore(client, settings), new CosmosMobileOtpWindowStore(client, settings),
            sender, new HmacOtpHasher(keys), hasher, CryptoRandomSource.Instance, time);
        identity = HealthIdHostFixture.NewIdentity();
        var directory = new SimulatedKycProvider([new KycTestIdentity
        {
            AadhaarNumber = identity.Aadhaar, FirstName = "Count", LastName = "Person", Gender = "M", BirthDate = "1980-01-01",
            PinCode = "411001", Mobile = identity.Mobile,
        }]);
        kyc = new SimulatedAadhaarKyc(directory, otp, hasher);
        accounts = new CosmosAbhaAccountStore(client, settings);
        claims = new CosmosIdentityClaims(client, settings, time);
        enrolment = new AbhaEnrolmentService(kyc, otp, new AbhaNumberAllocator(new AbhaNumberGenerator(CryptoRandomSource.Instance),
            new CosmosAbhaNumberReservations(client, settings, time)), accounts, claims, hasher, new AbhaAddressOptions(), time);
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
        Assert.True(enrolWrites <= 3, $"enrolment wrote {enrolWrites} health-ids documents");
        Assert.Equal(1, lookupRequests);
    }

    [Fact]
    public async Task GivenAClaimedAddress_WhenResolvingIt_ThenOnePointReadFindsTheHolder()
    {
        var number = new AbhaNumberGenerator(CryptoRandomSource.Instance).Next();
        var address = AbhaAddress.Parse("c" + Guid.NewGuid().ToString("N")[..12], "sbx");
        Assert.True(await claims.TryClaimAddressAsync(address, number, default));
        counter.Reset();

        var holder = await claims.FindAddressHolderAsync(address, default);

        Assert.Equal(number, holder);
        Assert.Single(counter.Requests);
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
