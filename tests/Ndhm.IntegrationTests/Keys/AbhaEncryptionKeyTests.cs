using System.Security.Cryptography;
using System.Text;
using Azure;
using Ndhm.HealthId.Encryption;
using Ndhm.Infrastructure.Keys;

namespace Ndhm.IntegrationTests.Keys;

/// <summary>The ABDM field encryption key: public key from the vault's JWK, decryption in the vault.</summary>
[Collection(LocalKeyVaultCollection.Name)]
public sealed class AbhaEncryptionKeyTests(LocalKeyVaultFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private KeyVaultAbhaEncryptionKey Key() => new(fixture.Client(), fixture.Options(), TimeProvider.System);

    private static byte[] EncryptOaepSha1(byte[] subjectPublicKeyInfo, string value)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return rsa.Encrypt(Encoding.UTF8.GetBytes(value), RSAEncryptionPadding.OaepSHA1);
    }

    [Fact]
    public async Task GivenTheSandboxVault_ThenTheAbhaEncryptionKeyExistsAsRsa2048WithOnlyEncryptAndDecrypt()
    {
        var key = await fixture.Client().GetKeyAsync(KeyVaultOptions.DefaultAbhaEncryptionKeyName, null, None);

        Assert.Equal("RSA", key.Kty);
        Assert.Equal(["encrypt", "decrypt"], key.KeyOps);
        Assert.Equal(256, System.Buffers.Text.Base64Url.DecodeFromChars(key.N).Length);
    }

    [Fact]
    public async Task GivenAValueEncryptedWithThePublishedKeyLikeAJavaClient_WhenDecrypted_ThenThePlainValueComesBack()
    {
        var key = Key();
        var published = await key.GetPublicKeyAsync(None);
        var ciphertext = EncryptOaepSha1(published.SubjectPublicKeyInfo, "123412341234");

        var plain = await key.DecryptAsync(ciphertext, None);

        Assert.Equal(256, ciphertext.Length);
        Assert.Equal("123412341234", Encoding.UTF8.GetString(plain!));
    }

    [Fact]
    public async Task GivenTheClientDirectly_WhenEncryptingAndDecryptingWithRsaOaep_ThenItRoundTrips()
    {
        var client = fixture.Client();
        var key = await client.GetKeyAsync(KeyVaultOptions.DefaultAbhaEncryptionKeyName, null, None);

        var encrypted = await client.EncryptAsync(key.Name, key.Version, "RSA-OAEP", "654321"u8.ToArray(), None);
        var decrypted = await client.DecryptAsync(key.Name, key.Version, "RSA-OAEP", encrypted.Value, None);

        Assert.Equal("654321"u8.ToArray(), decrypted.Value);
        Assert.Equal(key.KeyId, decrypted.KeyId);
    }

    [Fact]
    public async Task GivenGarbage_WhenDecrypted_ThenTheVaultAnswers400AndTheAdapterReturnsNull()
    {
        var client = fixture.Client();
        var key = await client.GetKeyAsync(KeyVaultOptions.DefaultAbhaEncryptionKeyName, null, None);
        var garbage = RandomNumberGenerator.GetBytes(256);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.DecryptAsync(key.Name, key.Version, "RSA-OAEP", garbage, None));
        Assert.Equal(400, error.Status);
        Assert.Null(await Key().DecryptAsync(garbage, None));
    }

    [Fact]
    public async Task GivenAKeyWhoseKeyOpsLackDecrypt_WhenAskedToDecrypt_ThenTheVaultRefuses403()
    {
        var client = fixture.Client();
        var key = await client.GetKeyAsync(KeyVaultOptions.DefaultAbhaEncryptionKeyName, null, None);
        var encrypted = await client.EncryptAsync(key.Name, key.Version, "RSA-OAEP", "1"u8.ToArray(), None);
        var signing = await client.GetKeyAsync("ndhm-signing", null, None);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.DecryptAsync("ndhm-signing", signing.Version, "RSA-OAEP", encrypted.Value, None));

        Assert.Equal(403, error.Status);
    }

    [Fact]
    public async Task GivenAKeyRotation_ThenTheNewPublicKeyIsServed_AndValuesEncryptedWithThePreviousOneStillDecrypt()
    {
        var key = Key();
        var before = await key.GetPublicKeyAsync(None);
        var oldCiphertext = EncryptOaepSha1(before.SubjectPublicKeyInfo, "9876543210");

        await fixture.Client().CreateKeyAsync(KeyVaultOptions.DefaultAbhaEncryptionKeyName, "RSA", 2048, keyOps: ["encrypt", "decrypt"]);
        var after = await key.GetPublicKeyAsync(None);
        var newCiphertext = EncryptOaepSha1(after.SubjectPublicKeyInfo, "1234567890");

        Assert.NotEqual(before.Version, after.Version);
        Assert.NotEqual(before.SubjectPublicKeyInfo, after.SubjectPublicKeyInfo);
        Assert.Equal("9876543210", Encoding.UTF8.GetString((await key.DecryptAsync(oldCiphertext, None))!));
        Assert.Equal("1234567890", Encoding.UTF8.GetString((await key.DecryptAsync(newCiphertext, None))!));
    }
}
