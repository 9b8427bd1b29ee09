using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Ndhm.Cli.Commands;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Encryption;
using Ndhm.Infrastructure.Keys;

namespace Ndhm.UnitTests.HealthId;

public sealed class AbhaFieldEncryptionTests : IDisposable
{
    private readonly RsaKey _key = new();

    public void Dispose() => _key.Dispose();

    private string Encrypt(string value) => AbhaFieldEncryption.Encrypt(Convert.ToBase64String(_key.Rsa.ExportSubjectPublicKeyInfo()), value);

    [Theory]
    [InlineData("123412341234")]
    [InlineData("9876543210")]
    [InlineData("123456")]
    [InlineData("91-6285-4575-5116")]
    [InlineData("91628545755116")]
    [InlineData("test.person@sbx")]
    public void APlainLoginIdOrOtp_IsNotTakenForCiphertext(string value)
    {
        Assert.False(AbhaFieldEncryption.TryReadCiphertext(value, out _));
    }

    [Fact]
    public void Base64OfExactly256Bytes_IsCiphertext_InStandardAndUrlSafeAlphabets_WithOrWithoutPadding()
    {
        var bytes = RandomNumberGenerator.GetBytes(256);

        Assert.True(AbhaFieldEncryption.TryReadCiphertext(Convert.ToBase64String(bytes), out var standard));
        Assert.True(AbhaFieldEncryption.TryReadCiphertext(Base64Url.EncodeToString(bytes), out var urlSafe));
        Assert.Equal(bytes, standard);
        Assert.Equal(bytes, urlSafe);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(512)]
    public void Base64OfAnyOtherLength_IsNotCiphertext(int length)
    {
        Assert.False(AbhaFieldEncryption.TryReadCiphertext(Convert.ToBase64String(RandomNumberGenerator.GetBytes(length)), out _));
    }

    [Fact]
    public void A344CharacterValueThatIsNotBase64_IsNotCiphertext()
    {
        Assert.False(AbhaFieldEncryption.TryReadCiphertext(new string('!', 344), out _));
    }

    [Fact]
    public async Task RevealAsync_DecryptsAnOaepSha1Ciphertext()
    {
        var fields = new AbhaFieldEncryption(_key);

        Assert.Equal("123412341234", await fields.RevealAsync(Encrypt("123412341234"), "loginId", CancellationToken.None));
        Assert.Equal(1, _key.Decryptions);
    }

    [Fact]
    public async Task RevealAsync_PassesAPlainValueThroughTrimmed_WithoutAskingTheKey()
    {
        var fields = new AbhaFieldEncryption(_key);

        Assert.Equal("123456", await fields.RevealAsync(" 123456 ", "authData.otp.otpValue", CancellationToken.None));
        Assert.Equal(0, _key.Decryptions);
    }

    [Fact]
    public async Task RevealAsync_OfACiphertextTheKeyCannotDecrypt_IsEncryptedValueInvalidNamingTheFieldOnly()
    {
        var fields = new AbhaFieldEncryption(_key);
        using var other = RSA.Create(2048);
        var foreign = AbhaFieldEncryption.Encrypt(Convert.ToBase64String(other.ExportSubjectPublicKeyInfo()), "123412341234");

        var error = await Assert.ThrowsAsync<DomainException>(() => fields.RevealAsync(foreign, "loginId", CancellationToken.None));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(AbhaFieldEncryption.EncryptedValueInvalid, error.Code);
        Assert.Contains("loginId", error.Detail);
        Assert.DoesNotContain("123412341234", error.Detail);
    }

    [Fact]
    public async Task RevealAsync_OfACiphertextOfBytesThatAreNotUtf8_IsEncryptedValueInvalid()
    {
        var fields = new AbhaFieldEncryption(_key);
        var notText = Convert.ToBase64String(_key.Rsa.Encrypt([0xff, 0xfe, 0xfd], RSAEncryptionPadding.OaepSHA1));

        var error = await Assert.ThrowsAsync<DomainException>(() => fields.RevealAsync(notText, "loginId", CancellationToken.None));

        Assert.Equal(AbhaFieldEncryption.EncryptedValueInvalid, error.Code);
    }

    [Fact]
    public void TheSubjectPublicKeyInfoBuiltFromAJwksModulusAndExponent_IsTheKeysOwn_AndEncryptsForItsPrivateKey()
    {
        var parameters = _key.Rsa.ExportParameters(false);

        var spki = RsaPublicKeys.SubjectPublicKeyInfo(Base64Url.EncodeToString(parameters.Modulus), Base64Url.EncodeToString(parameters.Exponent));

        Assert.Equal(_key.Rsa.ExportSubjectPublicKeyInfo(), spki);
        using var imported = RSA.Create();
        imported.ImportSubjectPublicKeyInfo(spki, out _);
        var ciphertext = imported.Encrypt("123456"u8.ToArray(), RSAEncryptionPadding.OaepSHA1);
        Assert.Equal("123456"u8.ToArray(), _key.Rsa.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA1));
    }

    [Fact]
    public void Cli_Encrypt_PrintsA344CharacterCiphertextThePrivateKeyDecrypts()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = AbhaCommand.Run(["encrypt", "--public-key", Convert.ToBase64String(_key.Rsa.ExportSubjectPublicKeyInfo()), "123412341234"], stdout, stderr);

        Assert.Equal(0, exit);
        var printed = stdout.ToString().Trim();
        Assert.Equal(344, printed.Length);
        Assert.Equal("123412341234", Encoding.UTF8.GetString(_key.Rsa.Decrypt(Convert.FromBase64String(printed), RSAEncryptionPadding.OaepSHA1)));
    }

    [Theory]
    [InlineData("encrypt", "123412341234")]
    [InlineData("encrypt", "--public-key", "not-a-key", "123412341234")]
    [InlineData("encrypt", "--public-key", "bm90IGEga2V5")]
    public void Cli_Encrypt_WithoutAUsableKeyOrValue_IsAUsageError(params string[] args)
    {
        var stderr = new StringWriter();

        var exit = AbhaCommand.Run(args, new StringWriter(), stderr);

        Assert.Equal(2, exit);
        Assert.NotEmpty(stderr.ToString());
    }

    /// <summary>The port over an in-process RSA key, counting decryptions.</summary>
    private sealed class RsaKey : IAbhaEncryptionKey, IDisposable
    {
        public RSA Rsa { get; } = RSA.Create(2048);
        public int Decryptions { get; private set; }

        public Task<AbhaPublicKey> GetPublicKeyAsync(CancellationToken ct) => Task.FromResult(new AbhaPublicKey("v1", Rsa.ExportSubjectPublicKeyInfo()));

        public Task<byte[]?> DecryptAsync(ReadOnlyMemory<byte> ciphertext, CancellationToken ct)
        {
            Decryptions++;
            try
            {
                return Task.FromResult<byte[]?>(Rsa.Decrypt(ciphertext.ToArray(), RSAEncryptionPadding.OaepSHA1));
            }
            catch (CryptographicException)
            {
                return Task.FromResult<byte[]?>(null);
            }
        }

        public void Dispose() => Rsa.Dispose();
    }
}
