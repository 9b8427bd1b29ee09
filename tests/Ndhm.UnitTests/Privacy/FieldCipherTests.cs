using System.Buffers.Text;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Privacy;

namespace Ndhm.UnitTests.Privacy;

public sealed class FieldCipherTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DataKeyScope Asha = DataKeyScope.Patient("91-1111-2222-3333");
    private static readonly DataKeyScope Ravi = DataKeyScope.Patient("91-4444-5555-6666");

    [Fact]
    public async Task GivenAField_WhenEncryptedAndDecrypted_ThenTheEnvelopeNamesKeyAndVersionAndHidesThePlaintext()
    {
        var rig = new PrivacyRig();

        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "mobile", "9876543210", None);

        var record = rig.Store.All.Single();
        Assert.StartsWith($"enc:v1:{record.KeyId}:1:", stored);
        Assert.DoesNotContain("9876543210", stored);
        Assert.Equal("9876543210", await rig.Fields.DecryptAsync(Asha, "doc-1", "mobile", stored, None));
    }

    [Fact]
    public async Task GivenTheSameValueTwice_WhenEncrypted_ThenTheCiphertextsDiffer()
    {
        var rig = new PrivacyRig();

        var first = await rig.Fields.EncryptAsync(Asha, "doc-1", "mobile", "9876543210", None);
        var second = await rig.Fields.EncryptAsync(Asha, "doc-1", "mobile", "9876543210", None);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("doc-2", "mobile")]
    [InlineData("doc-1", "email")]
    public async Task GivenACiphertextMovedToAnotherDocumentOrField_WhenDecrypted_ThenItFailsIntegrity(string documentId, string field)
    {
        var rig = new PrivacyRig();
        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "mobile", "9876543210", None);

        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => rig.Fields.DecryptAsync(Asha, documentId, field, stored, None));
    }

    [Fact]
    public async Task GivenACiphertextMovedToAnotherSubject_WhenDecrypted_ThenItFailsBecauseTheyHoldAnotherKey()
    {
        var rig = new PrivacyRig();
        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "mobile", "9876543210", None);
        await rig.Fields.EncryptAsync(Ravi, "doc-1", "mobile", "1234567890", None);

        var error = await Assert.ThrowsAsync<CiphertextIntegrityException>(() => rig.Fields.DecryptAsync(Ravi, "doc-1", "mobile", stored, None));
        Assert.Contains("does not hold", error.Message);
    }

    [Fact]
    public async Task GivenATamperedPayload_WhenDecrypted_ThenItFailsIntegrity()
    {
        var rig = new PrivacyRig();
        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "name", "Asha Devi", None);
        var cut = stored.LastIndexOf(':') + 1;
        var payload = Base64Url.DecodeFromChars(stored.AsSpan(cut));
        payload[FieldCipher.NonceSize] ^= 0x01;
        var tampered = stored[..cut] + Base64Url.EncodeToString(payload);

        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => rig.Fields.DecryptAsync(Asha, "doc-1", "name", tampered, None));
    }

    [Fact]
    public async Task GivenACiphertextNamingAKeyVersionTheSubjectDoesNotHold_WhenDecrypted_ThenItFailsWithoutTryingTheKey()
    {
        var rig = new PrivacyRig();
        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "name", "Asha Devi", None);
        var parts = stored.Split(':');
        parts[3] = "2";

        var error = await Assert.ThrowsAsync<CiphertextIntegrityException>(() => rig.Fields.DecryptAsync(Asha, "doc-1", "name", string.Join(':', parts), None));
        Assert.Contains("version", error.Message);
    }

    [Theory]
    [InlineData("Asha Devi")]
    [InlineData("enc:v1:dk00:1")]
    [InlineData("enc:v1:dk00:x:AAAA")]
    [InlineData("enc:v1:dk00:1:!!")]
    [InlineData("enc:v1:dk00:1:AAAA")]
    public async Task GivenSomethingThatIsNotAnEnvelope_WhenDecrypted_ThenItFailsIntegrity(string stored)
    {
        var rig = new PrivacyRig();
        await rig.Fields.EncryptAsync(Asha, "doc-1", "name", "Asha Devi", None);

        await Assert.ThrowsAsync<CiphertextIntegrityException>(() => rig.Fields.DecryptAsync(Asha, "doc-1", "name", stored, None));
    }

    [Fact]
    public async Task GivenAShreddedSubject_WhenReadingOrWriting_ThenSubjectErased410_AndTheRecordHoldsNoKeyMaterial()
    {
        var rig = new PrivacyRig();
        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "name", "Asha Devi", None);

        await rig.Ring.ShredAsync(Asha, None);

        var read = await Assert.ThrowsAsync<DomainException>(() => rig.Fields.DecryptAsync(Asha, "doc-1", "name", stored, None));
        var write = await Assert.ThrowsAsync<DomainException>(() => rig.Fields.EncryptAsync(Asha, "doc-2", "name", "Asha Devi", None));
        Assert.Equal((ErrorKind.Gone, PrivacyErrors.SubjectErased), (read.Kind, read.Code));
        Assert.Equal((ErrorKind.Gone, PrivacyErrors.SubjectErased), (write.Kind, write.Code));
        var tombstone = rig.Store.All.Single();
        Assert.True(tombstone.IsShredded);
        Assert.Null(tombstone.Wrapped);
    }

    [Fact]
    public async Task GivenASubjectWithoutAKey_WhenShredded_ThenATombstoneStopsAKeyBeingCreatedLater()
    {
        var rig = new PrivacyRig();

        await rig.Ring.ShredAsync(Ravi, None);
        await rig.Ring.ShredAsync(Ravi, None);

        var write = await Assert.ThrowsAsync<DomainException>(() => rig.Fields.EncryptAsync(Ravi, "doc-1", "name", "Ravi", None));
        Assert.Equal(PrivacyErrors.SubjectErased, write.Code);
    }

    [Fact]
    public async Task GivenAWarmCache_WhenDecryptingAgain_ThenKeyVaultIsNotAsked_UntilTheEntryExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var rig = new PrivacyRig(new PrivacyOptions { KeyCacheDuration = TimeSpan.FromMinutes(5) }, time);
        var stored = await rig.Fields.EncryptAsync(Asha, "doc-1", "name", "Asha Devi", None);
        rig.Cache.Clear();

        await rig.Fields.DecryptAsync(Asha, "doc-1", "name", stored, None);
        await rig.Fields.DecryptAsync(Asha, "doc-1", "name", stored, None);
        Assert.Equal(1, rig.Wrapper.Unwraps);

        time.Advance(TimeSpan.FromMinutes(6));
        await rig.Fields.DecryptAsync(Asha, "doc-1", "name", stored, None);
        Assert.Equal(2, rig.Wrapper.Unwraps);
    }

    [Fact]
    public async Task GivenACacheOfTwo_WhenAThirdSubjectIsUsed_ThenTheLeastRecentlyUsedIsEvicted()
    {
        var rig = new PrivacyRig(new PrivacyOptions { KeyCacheCapacity = 2 });
        var third = DataKeyScope.Professional("71-0000-0000-0001");
        await rig.Fields.EncryptAsync(Asha, "d", "f", "a", None);
        await rig.Fields.EncryptAsync(Ravi, "d", "f", "b", None);
        await rig.Fields.EncryptAsync(Asha, "d", "f", "a", None);

        await rig.Fields.EncryptAsync(third, "d", "f", "c", None);

        Assert.Equal(2, rig.Cache.Count);
        Assert.NotNull(rig.Cache.TryGet(Asha));
        Assert.Null(rig.Cache.TryGet(Ravi));
    }

    [Fact]
    public void GivenAKeyOnLoan_WhenItsEntryIsEvicted_ThenTheLoanStillHoldsTheKey_AndDisposingZeroesOnlyTheLoan()
    {
        var cache = new DataKeyCache(new PrivacyOptions(), TimeProvider.System);
        cache.Put(Asha, "dk1", 1, Enumerable.Repeat((byte)7, 32).ToArray());
        var loan = cache.TryGet(Asha)!;

        cache.Evict(Asha);

        Assert.All(loan.Key.ToArray(), b => Assert.Equal(7, b));
        loan.Dispose();
        Assert.All(loan.Key.ToArray(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("patient", "91-1111-2222-3333", true)]
    [InlineData("professional", "71-1234", true)]
    [InlineData("Patient", "x", false)]
    [InlineData("patient", "", false)]
    [InlineData("patient", "a:b", false)]
    [InlineData("patient", "a\nb", false)]
    public void GivenAKindAndSubject_WhenAScopeIsMade_ThenOnlySafeCharactersAreAccepted(string kind, string subject, bool valid)
    {
        Assert.Equal(valid, DataKeyScope.TryCreate(kind, subject, out _));
    }
}
