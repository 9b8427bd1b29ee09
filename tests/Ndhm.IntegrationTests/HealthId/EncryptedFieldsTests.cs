using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>
/// The Health ID host on its own local Key Vault (built from this tree, so it serves decrypt and holds the ABHA
/// encryption key) and its own Cosmos database in the shared emulator: the Health ID HMAC keys are wrapped by
/// that vault's wrapping key, so they must not be the shared database's.
/// </summary>
public sealed class EncryptedFieldsHostFixture : HealthIdHostFixture
{
    private readonly string database = TestRun.Id + "-abdm-" + Guid.NewGuid().ToString("N")[..8];
    private LocalKeyVaultProcess? vault;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["KeyVault__Uri"] = vault!.BaseUri.ToString(),
        ["Cosmos__Database"] = database,
    };

    public override async Task InitializeAsync()
    {
        vault = await LocalKeyVaultProcess.StartAsync();
        // Created before the host starts, so no request races the host's own background initialisation.
        using var client = CosmosClientFactory.Create(HealthIdCosmos.Settings);
        await new CosmosDatabaseInitializer(client, database).InitializeAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        using (var client = CosmosClientFactory.Create(HealthIdCosmos.Settings))
            await client.GetDatabase(database).DeleteStreamAsync();
        if (vault is not null) await vault.DisposeAsync();
    }
}

/// <summary>ABDM v3 clients encrypt loginId and otpValue with our public key; the API accepts that as it accepts plain text.</summary>
public sealed class EncryptedFieldsTests(EncryptedFieldsHostFixture sandbox) : IClassFixture<EncryptedFieldsHostFixture>
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task TheCertificateEndpoint_AnswersAnRsa2048SubjectPublicKeyInfoAndAbdmsAlgorithm_WithoutAToken()
    {
        var json = await OkJsonAsync(await Client.GetAsync("api/v3/profile/public/certificate"));

        Assert.Equal("RSA/ECB/OAEPWithSHA-1AndMGF1Padding", json.GetProperty("encryptionAlgorithm").GetString());
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(json.GetProperty("publicKey").GetString()!), out var read);
        Assert.Equal(2048, rsa.KeySize);
        Assert.Equal(Convert.FromBase64String(json.GetProperty("publicKey").GetString()!).Length, read);
    }

    [Fact]
    public async Task GivenEncryptedAadhaarAndOtps_WhenEnrollingAndLoggingIn_ThenBothSucceedAsWithPlainValues()
    {
        var identity = sandbox.NextIdentity();
        var publicKey = await PublicKeyAsync();

        var txnId = await RequestOtpAsync(Client, "v3/enrollment/request/otp", "aadhaar", Encrypt(publicKey, identity.Aadhaar));
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
        var enrolled = await OkJsonAsync(await EnrolByAadhaarAsync(Client, txnId, Encrypt(publicKey, otp)));

        Assert.True(enrolled.GetProperty("isNew").GetBoolean());
        Assert.Equal(identity.LastName, enrolled.GetProperty("ABHAProfile").GetProperty("lastName").GetString());

        var loginTxn = await RequestOtpAsync(Client, "v3/profile/login/request/otp", "abha-number", Encrypt(publicKey, Number(enrolled)));
        var loginOtp = await ReadOtpAsync(Client, identity.Mobile, loginTxn);
        var login = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify",
            new { authData = OtpAuth(loginTxn, Encrypt(publicKey, loginOtp)) }));

        Assert.Equal(Number(enrolled), login.GetProperty("ABHAProfile").GetProperty("ABHANumber").GetString());
        Assert.False(string.IsNullOrEmpty(login.GetProperty("tokens").GetProperty("token").GetString()));
    }

    [Fact]
    public async Task GivenAGarbage344CharacterBase64LoginId_ThenEncryptedValueInvalid()
    {
        var garbage = Convert.ToBase64String(RandomNumberGenerator.GetBytes(256));
        Assert.Equal(344, garbage.Length);

        using var response = await PostAsync(Client, "v3/enrollment/request/otp",
            new { scope = new[] { "abha-enrol" }, loginHint = "aadhaar", loginId = garbage });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "ENCRYPTED_VALUE_INVALID");
    }

    [Fact]
    public async Task GivenAnOtpEncryptedWithAnotherKey_WhenVerifyingALogin_ThenEncryptedValueInvalid_AndTheOtpIsNotSpent()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var txnId = await RequestOtpAsync(Client, "v3/profile/login/request/otp", "abha-number", Number(enrolled));
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
        using var stranger = RSA.Create(2048);

        using var response = await PostAsync(Client, "v3/profile/login/verify",
            new { authData = OtpAuth(txnId, Encrypt(Convert.ToBase64String(stranger.ExportSubjectPublicKeyInfo()), otp)) });

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "ENCRYPTED_VALUE_INVALID");
        await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(txnId, otp) }));
    }

    private async Task<string> PublicKeyAsync() =>
        (await OkJsonAsync(await Client.GetAsync("api/v3/profile/public/certificate"))).GetProperty("publicKey").GetString()!;

    /// <summary>What a Java client does: Cipher "RSA/ECB/OAEPWithSHA-1AndMGF1Padding" over the UTF-8 bytes, base64.</summary>
    private static string Encrypt(string publicKey, string value)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
        return Convert.ToBase64String(rsa.Encrypt(Encoding.UTF8.GetBytes(value), RSAEncryptionPadding.OaepSHA1));
    }
}
