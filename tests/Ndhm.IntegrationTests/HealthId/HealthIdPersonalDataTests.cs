using Ndhm.HealthId.Verification;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Addresses;
using Ndhm.HealthId.Enrolment;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Kyc;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Otp;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Infrastructure.HealthId;
using Ndhm.IntegrationTests.Support;
using Ndhm.Privacy;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// Health ID personal data at rest, against the sandbox's Cosmos database and Key Vault: encrypted with the patient's
/// data key in the account and the address claims' views, crypto-shredded on erasure, and migrated in place from
/// documents written the old (plaintext) way.
/// </summary>
public sealed class HealthIdPersonalDataTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] AccountFields = ["name", "localName", "gender", "dateOfBirth", "mobile", "email", "address", "photo"];
    private readonly PrivacyServicesForTest privacy = PrivacyServicesForTest.Sandbox();
    private readonly RecordingSender sender = new();
    private CosmosAbhaAccountStore accounts = null!;
    private CosmosIdentityClaims claims = null!;
    private OtpService otp = null!;
    private HmacIdentityHasher hasher = null!;

    private static Container HealthIds => SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.HealthIds.Name);

    public async Task InitializeAsync()
    {
        await PrivacyServicesForTest.EnsureSandboxDatabaseAsync();
        var client = SandboxCosmos.Client;
        var settings = SandboxCosmos.Settings;
        var keys = new FixedKeys();
        hasher = new HmacIdentityHasher(keys);
        otp = new OtpService(new CosmosOtpTransactionStore(client, settings), new CosmosMobileOtpWindowStore(client, settings),
            sender, new HmacOtpHasher(keys), hasher, CryptoRandomSource.Instance, TimeProvider.System,
            // The counters live on the uncounted client: the operation counts here are Health ID's own.
            new OtpTargetLimits(new Ndhm.Infrastructure.RateLimits.CosmosRateLimiter(SandboxCosmos.Client, settings, TimeProvider.System),
                Ndhm.Core.RateLimits.RateLimitPolicies.FromSettings(n => n.EndsWith("__Limit", StringComparison.Ordinal) ? "1000000" : null), hasher));
        accounts = new CosmosAbhaAccountStore(client, settings, new PlaintextFieldEncryptor(privacy.Fields), privacy.Ring);
        claims = new CosmosIdentityClaims(client, settings, TimeProvider.System, privacy.Fields);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenAnEnrolledAccount_WhenErased_ThenNoStoredDocumentHoldsThePersonsData_AndNoCiphertextDecryptsAnyMore()
    {
        var person = Person.New();
        var identity = HealthIdHostFixture.NewIdentity();
        var kyc = new SimulatedAadhaarKyc(new SimulatedKycProvider([new KycTestIdentity
        {
            AadhaarNumber = identity.Aadhaar, FirstName = person.First, LastName = person.Last, Gender = "F", BirthDate = "1983-07-14",
            AddressLine = person.Line, District = "Pune", State = "Maharashtra", PinCode = "411001", Mobile = identity.Mobile,
            LocalName = "आशा वर्मा", LocalNameLanguage = "hi", Photo = SandboxKycPhotos.Asha,
        }]), otp, hasher);
        var audit = new HealthIdAudit(new Ndhm.Audit.AuditTrail(new Ndhm.Infrastructure.Audit.CosmosAuditStore(SandboxCosmos.Client, SandboxCosmos.Settings),
            TimeProvider.System), new Ndhm.Infrastructure.Audit.NoCurrentAuditActor());
        var enrolment = new AbhaEnrolmentService(kyc, otp, new AbhaNumberAllocator(new AbhaNumberGenerator(CryptoRandomSource.Instance),
            new CosmosAbhaNumberReservations(SandboxCosmos.Client, SandboxCosmos.Settings, TimeProvider.System)), accounts, claims, hasher,
            new AbhaAddressOptions(), TimeProvider.System, audit);
        var lifecycle = new AbhaAccountService(accounts, claims, otp, TimeProvider.System, audit);
        var sent = await kyc.SendOtpAsync(AadhaarNumber.Parse(identity.Aadhaar), None);
        var number = (await enrolment.EnrolByAadhaarAsync(sent.TxnId, sender.Last!.Otp, null, None)).Account.AbhaNumber;
        var address = AbhaAddress.Parse("s" + Guid.NewGuid().ToString("N")[..12], "sbx");
        await enrolment.CreateAbhaAddressAsync(number, address.Value, true, None);
        await lifecycle.UpdateProfileAsync(number, new AbhaProfileUpdate { Email = person.Email }, None);
        var accountBefore = await RawAsync(number.Digits);
        var claimBefore = await RawAsync(address.Value);
        var secrets = new[] { person.First, person.Last, person.Line, person.Email, identity.Mobile, SandboxKycPhotos.Asha[..40], "1983-07-14" };

        var txn = (await lifecycle.RequestConfirmationOtpAsync(number, OtpPurpose.AccountDeletion, null, None)).TxnId;
        await lifecycle.EraseAsync(number, txn, sender.Last!.Otp, None);

        // Before erasure: every personal field is ciphertext, and nothing personal is readable in the raw documents.
        foreach (var field in AccountFields)
            Assert.True(FieldCipher.IsEnvelope(accountBefore[field]?.GetValue<string>()), field);
        Assert.True(FieldCipher.IsEnvelope(claimBefore["view"]!["name"]!.GetValue<string>()));
        Assert.Equal(("F", 1983), (claimBefore["view"]!["gender"]!.GetValue<string>(), claimBefore["view"]!["yearOfBirth"]!.GetValue<int>()));
        AssertHoldsNone(accountBefore, secrets);
        AssertHoldsNone(claimBefore, secrets);
        // After: the account, its address claim and its OTP transactions hold none of it either.
        AssertHoldsNone(await RawAsync(number.Digits), secrets);
        AssertHoldsNone(await RawAsync(address.Value), secrets);
        foreach (var otpDocument in await OtpDocumentsOfAsync(number))
            AssertHoldsNone(otpDocument, secrets);
        // The patient's data key is destroyed: the old ciphertexts (as a backup would hold them) decrypt nowhere.
        var scope = DataKeyScope.Patient(number.Digits);
        Assert.True((await privacy.Store.FindAsync(scope, None))!.Value.IsShredded);
        var fresh = PrivacyServicesForTest.Sandbox();
        foreach (var field in AccountFields)
        {
            var erased = await Assert.ThrowsAsync<DomainException>(() =>
                fresh.Fields.DecryptAsync(scope, number.Digits, field, accountBefore[field]!.GetValue<string>(), None));
            Assert.Equal(PrivacyErrors.SubjectErased, erased.Code);
        }

        var viewErased = await Assert.ThrowsAsync<DomainException>(() =>
            fresh.Fields.DecryptAsync(scope, address.Value, AbhaPersonalFields.ViewName, claimBefore["view"]!["name"]!.GetValue<string>(), None));
        Assert.Equal(PrivacyErrors.SubjectErased, viewErased.Code);
    }

    [Fact]
    public async Task GivenAnAccountAndClaimWrittenTheOldWay_WhenTheMigrationRunsTwice_ThenTheyAreEncryptedOnce_AndReadTheSameBeforeAndAfter()
    {
        var person = Person.New();
        var (number, address) = await WriteTheOldWayAsync(person);
        var plans = AbhaPersonalFields.Plans.Select(p => p with { Name = "test-" + p.Name + "-" + Guid.NewGuid().ToString("N") }).ToList();
        // The platform serves while the migration runs: plaintext documents read as they are.
        var accountBefore = (await accounts.FindAsync(number, None))!.Value;
        var viewBefore = (await claims.FindAddressClaimAsync(address, None))!.View;

        var firstRuns = new List<RunReport>();
        foreach (var plan in plans) firstRuns.Add(await privacy.Migration.RunAsync(plan, None, pageSize: 50));
        var accountAfterFirst = await RawAsync(number.Digits);
        var claimAfterFirst = await RawAsync(address.Value);
        // Again from scratch (as if the checkpoints were lost): nothing is encrypted twice.
        var againRuns = new List<RunReport>();
        foreach (var plan in plans) againRuns.Add(await privacy.Migration.RunAsync(plan with { Name = plan.Name + "-again" }, None, pageSize: 50));

        Assert.All(firstRuns, r => Assert.True(r.Completed));
        Assert.All(firstRuns.Where(r => !r.Name.Contains("-verified-", StringComparison.Ordinal)), r => Assert.True(r.Changed >= 1, r.Name));
        Assert.All(againRuns, r => Assert.Equal(0, r.Changed));
        Assert.Equal(accountAfterFirst.ToJsonString(), (await RawAsync(number.Digits)).ToJsonString());
        Assert.Equal(claimAfterFirst.ToJsonString(), (await RawAsync(address.Value)).ToJsonString());
        foreach (var field in new[] { "name", "gender", "dateOfBirth", "mobile", "email", "address" })
            Assert.True(FieldCipher.IsEnvelope(accountAfterFirst[field]?.GetValue<string>()), field);
        Assert.True(FieldCipher.IsEnvelope(claimAfterFirst["view"]!["name"]!.GetValue<string>()));
        var secrets = new[] { person.First, person.Last, person.Line, person.Email, person.Mobile };
        AssertHoldsNone(accountAfterFirst, secrets);
        AssertHoldsNone(claimAfterFirst, secrets);
        var accountAfter = (await accounts.FindAsync(number, None))!.Value;
        Assert.Equal(JsonSerializer.Serialize(accountBefore, NdhmJson.Options), JsonSerializer.Serialize(accountAfter, NdhmJson.Options));
        Assert.Equal(person.First + " " + person.Last, accountAfter.Name!.FullName);
        Assert.Equal(viewBefore, (await claims.FindAddressClaimAsync(address, None))!.View);
        Assert.Equal(person.First + " " + person.Last, viewBefore!.Name);
    }

    /// <summary>An account and its address claim as the version before encryption stored them (plaintext personal fields).</summary>
    private async Task<(AbhaNumber Number, AbhaAddress Address)> WriteTheOldWayAsync(Person person)
    {
        var number = new AbhaNumberGenerator(CryptoRandomSource.Instance).Next();
        var mobile = MobileNumber.Parse(person.Mobile);
        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = number, Name = PersonName.Create(person.First, null, person.Last), Gender = Gender.M, DateOfBirth = new DateOfBirth(1971, 3, 9),
            KycStatus = KycStatus.Unverified, Mobile = mobile, MobileHash = await hasher.HashMobileAsync(mobile, None), MobileVerified = true,
            Email = person.Email, Address = PostalAddress.Create(person.Line, "Pune", "Maharashtra", "411001"),
        }, TimeProvider.System);
        var address = AbhaAddress.Parse("m" + Guid.NewGuid().ToString("N")[..12], "sbx");
        account.AddAddress(address, true, TimeProvider.System);
        await CreateRawAsync(JsonSerializer.SerializeToNode(account, NdhmJson.Options)!.AsObject(), number.Digits);
        var claim = new AbhaAddressClaimDocument(address.Value, address.Value, "addressClaim", number.Digits, DateTimeOffset.UtcNow, account.ToLookupView());
        await CreateRawAsync(JsonSerializer.SerializeToNode(claim, NdhmJson.Options)!.AsObject(), address.Value);
        Assert.Equal(person.First + " " + person.Last, (await RawAsync(address.Value))["view"]!["name"]!.GetValue<string>());
        return (number, address);
    }

    private static async Task CreateRawAsync(JsonObject document, string pk)
    {
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(document.ToJsonString()));
        using var response = await HealthIds.CreateItemStreamAsync(body, new PartitionKey(pk));
        response.EnsureSuccessStatusCode();
    }

    private static async Task<JsonObject> RawAsync(string id)
    {
        using var response = await HealthIds.ReadItemStreamAsync(id, new PartitionKey(id));
        response.EnsureSuccessStatusCode();
        return (await JsonNode.ParseAsync(response.Content))!.AsObject();
    }

    private static async Task<List<JsonObject>> OtpDocumentsOfAsync(AbhaNumber number)
    {
        var container = SandboxCosmos.Client.GetContainer(SandboxCosmos.Settings.Database, CosmosContainers.Otp.Name);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.abhaNumber = @n").WithParameter("@n", number.Formatted);
        var documents = new List<JsonObject>();
        using var iterator = container.GetItemQueryStreamIterator(query);
        while (iterator.HasMoreResults)
        {
            using var response = await iterator.ReadNextAsync();
            response.EnsureSuccessStatusCode();
            var page = (await JsonNode.ParseAsync(response.Content))!;
            documents.AddRange(page["Documents"]!.AsArray().Select(d => d!.AsObject()));
        }

        Assert.NotEmpty(documents);
        return documents;
    }

    /// <summary>Neither the raw JSON nor its unescaped text contains any of <paramref name="secrets"/>.</summary>
    private static void AssertHoldsNone(JsonObject document, IEnumerable<string> secrets)
    {
        var raw = document.ToJsonString();
        var unescaped = JsonSerializer.Serialize(document, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, unescaped, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A person whose name, address line, email and mobile appear nowhere else in the database.</summary>
    private sealed record Person(string First, string Last, string Line, string Email, string Mobile)
    {
        public static Person New()
        {
            var letters = new string(RandomNumberGenerator.GetBytes(10).Select(b => (char)('a' + (b % 26))).ToArray());
            var mobile = "9" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Person("Zq" + letters[..5], "Xw" + letters[5..], "House " + letters + " Lane", letters + "@example.org", mobile);
        }
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
