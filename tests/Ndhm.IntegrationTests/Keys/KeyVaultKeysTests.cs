using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ndhm.Core.Errors;
using Ndhm.Core.Keys;
using Ndhm.Core.Security.Tokens;
using Ndhm.Infrastructure.Keys;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Keys;

/// <summary>The product's Key Vault client and adapters, driven against the LocalKeyVault process.</summary>
[Collection(LocalKeyVaultCollection.Name)]
public sealed class KeyVaultKeysTests(LocalKeyVaultFixture fixture)
{
    private const string Audience = "ndhm-api";
    private static readonly TokenOptions Tokens = new() { Issuer = "https://ndhm.sandbox.local" };
    private static readonly CancellationToken None = CancellationToken.None;

    private (JwtIssuer Issuer, JwtValidator Validator, KeyVaultSigningKeys Keys) TokenServices(KeyVaultOptions options)
    {
        var keys = new KeyVaultSigningKeys(fixture.Client(options), options, TimeProvider.System);
        return (new JwtIssuer(keys, Tokens, TimeProvider.System), new JwtValidator(keys, Tokens, TimeProvider.System), keys);
    }

    private static string HeaderValue(string token, string name) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0])).RootElement.GetProperty(name).GetString()!;

    [Fact]
    public async Task GivenTheEcSigningKey_WhenSigningADigest_ThenKeyVaultAndDotNetBothVerifyTheRawEs256Signature()
    {
        var client = fixture.Client();
        var key = await client.GetKeyAsync("ndhm-signing", null, None);
        var digest = SHA256.HashData("consent artefact"u8);

        var signed = await client.SignAsync(key.Name, key.Version, "ES256", digest, None);

        Assert.Equal(key.KeyId, signed.KeyId);
        Assert.Equal(64, signed.Value.Length);
        Assert.True(await client.VerifyAsync(key.Name, key.Version, "ES256", digest, signed.Value, None));
        Assert.False(await client.VerifyAsync(key.Name, key.Version, "ES256", SHA256.HashData("other"u8), signed.Value, None));
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(key.X), Y = Base64Url.DecodeFromChars(key.Y) },
        });
        Assert.True(ecdsa.VerifyHash(digest, signed.Value, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task GivenTheEcSigningKey_WhenATokenIsIssued_ThenItValidatesAsEs256WithTheVersionedKid()
    {
        var (issuer, validator, keys) = TokenServices(fixture.Options());

        var issued = await issuer.IssueAsync(new TokenRequest("partner-1", Audience, ["HIP"]), None);
        var caller = await validator.ValidateAsync(issued.Token, Audience, None);

        Assert.Equal("partner-1", caller.Subject);
        Assert.Equal("ES256", HeaderValue(issued.Token, "alg"));
        Assert.Equal((await keys.GetCurrentAsync(None)).KeyId, HeaderValue(issued.Token, "kid"));
        Assert.StartsWith(fixture.Vault.BaseUri + "keys/ndhm-signing/", issued.KeyId);
    }

    [Fact]
    public async Task GivenAnRsaSigningKey_WhenATokenIsIssued_ThenItValidatesAsRs256()
    {
        var name = "rsa-signing-" + Guid.NewGuid().ToString("N")[..8];
        var client = fixture.Client();
        var key = await client.CreateKeyAsync(name, "RSA", keySize: 2048, ct: None);
        var (issuer, validator, _) = TokenServices(fixture.Options(signingKey: name));

        var issued = await issuer.IssueAsync(new TokenRequest("partner-2", Audience, []), None);

        Assert.Equal("RS256", HeaderValue(issued.Token, "alg"));
        Assert.Equal(key.KeyId, issued.KeyId);
        await validator.ValidateAsync(issued.Token, Audience, None);
        var digest = SHA256.HashData("x"u8);
        var signature = await client.SignAsync(name, key.Version, "RS256", digest, None);
        Assert.True(await client.VerifyAsync(name, key.Version, "RS256", digest, signature.Value, None));
        var pss = await client.SignAsync(name, key.Version, "PS256", digest, None);
        Assert.True(await client.VerifyAsync(name, key.Version, "PS256", digest, pss.Value, None));
    }

    [Fact]
    public async Task GivenADataKey_WhenWrappedAndUnwrapped_ThenItRoundTrips()
    {
        var options = fixture.Options();
        var wrapper = new KeyVaultKeyWrapper(fixture.Client(options), options, TimeProvider.System);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await wrapper.WrapAsync(dataKey, None);

        Assert.Equal("RSA-OAEP-256", wrapped.Algorithm);
        Assert.Equal(256, wrapped.EncryptedKey.Length);
        Assert.Equal(dataKey, await wrapper.UnwrapAsync(wrapped, None));

        var corrupted = wrapped with { EncryptedKey = wrapped.EncryptedKey.Select((b, i) => i == 10 ? (byte)(b ^ 1) : b).ToArray() };
        var error = await Assert.ThrowsAsync<DomainException>(() => wrapper.UnwrapAsync(corrupted, None));
        Assert.Equal(KeyErrorCodes.WrappedKeyInvalid, error.Code);
        var foreign = wrapped with { KeyId = wrapped.KeyId.Replace("ndhm-wrapping", "ndhm-signing", StringComparison.Ordinal) };
        Assert.Equal(KeyErrorCodes.WrappedKeyInvalid, (await Assert.ThrowsAsync<DomainException>(() => wrapper.UnwrapAsync(foreign, None))).Code);
    }

    [Fact]
    public async Task GivenRsaOaep_WhenWrappingThroughTheClient_ThenItRoundTrips()
    {
        var client = fixture.Client();
        var key = await client.GetKeyAsync("ndhm-wrapping", null, None);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await client.WrapKeyAsync(key.Name, key.Version, "RSA-OAEP", dataKey, None);
        Assert.Equal(dataKey, (await client.UnwrapKeyAsync(key.Name, key.Version, "RSA-OAEP", wrapped.Value, None)).Value);
    }

    [Fact]
    public async Task GivenANewKeyVersion_ThenNewTokensCarryItsKidAndOldTokensValidateUntilTheVersionIsNoLongerPublished()
    {
        var name = "rotation-" + Guid.NewGuid().ToString("N")[..8];
        var client = fixture.Client();
        var first = await client.CreateKeyAsync(name, "EC", curve: "P-256", ct: None);
        var (issuer, validator, keys) = TokenServices(fixture.Options(signingKey: name));
        var before = await issuer.IssueAsync(new TokenRequest("p", Audience, []), None);

        var second = await client.CreateKeyAsync(name, "EC", curve: "P-256", ct: None);
        var after = await issuer.IssueAsync(new TokenRequest("p", Audience, []), None);

        Assert.Equal(first.KeyId, before.KeyId);
        Assert.Equal(second.KeyId, after.KeyId);
        Assert.Equal(second.KeyId, HeaderValue(after.Token, "kid"));
        await validator.ValidateAsync(before.Token, Audience, None);
        await validator.ValidateAsync(after.Token, Audience, None);
        var jwks = JsonWebKeySet.From(await keys.GetPublicKeysAsync(false, None));
        Assert.Equal([second.KeyId, first.KeyId], jwks.Keys.Select(k => k.Kid).ToArray());

        // Published versions default to 2: a third version retires the first.
        await client.CreateKeyAsync(name, "EC", curve: "P-256", ct: None);
        var error = await Assert.ThrowsAsync<DomainException>(() => validator.ValidateAsync(before.Token, Audience, None));
        Assert.Equal(ErrorCodes.InvalidToken, error.Code);
        await validator.ValidateAsync(after.Token, Audience, None);
    }

    [Fact]
    public async Task GivenARestart_ThenKeysAndTheirVersionsArePersisted()
    {
        await using var vault = await LocalKeyVaultProcess.StartAsync();
        var options = fixture.Options(vault: vault);
        var client = fixture.Client(options);
        var signing = await client.GetKeyAsync("ndhm-signing", null, None);
        var rotated = await client.CreateKeyAsync("ndhm-signing", "EC", curve: "P-256", ct: None);
        var digest = SHA256.HashData("persisted"u8);
        var signature = await client.SignAsync(signing.Name, signing.Version, "ES256", digest, None);
        var wrapper = new KeyVaultKeyWrapper(client, options, TimeProvider.System);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await wrapper.WrapAsync(dataKey, None);

        await vault.RestartAsync();

        Assert.Equal(Public(rotated), Public(await client.GetKeyAsync("ndhm-signing", null, None)));
        Assert.Equal(Public(signing), Public(await client.GetKeyAsync("ndhm-signing", signing.Version, None)));
        Assert.Equal([signing.Version, rotated.Version], (await client.GetKeyVersionsAsync("ndhm-signing", None)).Select(v => v.Version).ToArray());
        Assert.True(await client.VerifyAsync(signing.Name, signing.Version, "ES256", digest, signature.Value, None));
        Assert.Equal(dataKey, await new KeyVaultKeyWrapper(client, options, TimeProvider.System).UnwrapAsync(wrapped, None));
    }

    private static (string KeyId, string? X, string? Y, string KeyOps, DateTimeOffset? Created) Public(KeyVaultKey key) =>
        (key.KeyId, key.X, key.Y, string.Join(",", key.KeyOps), key.Attributes.Created);

    [Fact]
    public async Task GivenNoOrAWrongBearerToken_ThenTheVaultAnswers401AndTheAdapterReportsKeysUnavailable()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(fixture.Vault.BaseUri, "keys/ndhm-signing?api-version=7.5"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unauthorized", body.GetProperty("error").GetProperty("code").GetString());

        var options = fixture.Options(token: "not-the-token");
        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => fixture.Client(options).GetKeyAsync("ndhm-signing", null, None));
        Assert.Equal(401, failure.Status);
        Assert.Equal("Unauthorized", failure.ErrorCode);

        var (issuer, _, _) = TokenServices(options);
        var error = await Assert.ThrowsAsync<DomainException>(() => issuer.IssueAsync(new TokenRequest("p", Audience, []), None));
        Assert.Equal(ErrorKind.DependencyUnavailable, error.Kind);
        Assert.Equal(KeyErrorCodes.KeysUnavailable, error.Code);
        Assert.Equal("Key Vault answered 401 Unauthorized", error.Detail);
    }

    [Fact]
    public async Task GivenAnUnknownKey_ThenTheVaultAnswers404KeyNotFound()
    {
        var client = fixture.Client();
        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetKeyAsync("no-such-key", null, None));
        Assert.Equal(404, failure.Status);
        Assert.Equal("KeyNotFound", failure.ErrorCode);
        var versionFailure = await Assert.ThrowsAsync<RequestFailedException>(() => client.SignAsync("ndhm-signing", "0123456789abcdef0123456789abcdef", "ES256", new byte[32], None));
        Assert.Equal(404, versionFailure.Status);
        var badAlg = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            var key = await client.GetKeyAsync("ndhm-signing", null, None);
            await client.SignAsync(key.Name, key.Version, "RS256", new byte[32], None);
        });
        Assert.Equal(400, badAlg.Status);
        Assert.Equal("BadParameter", badAlg.ErrorCode);
    }

    [Fact]
    public async Task GivenTheKeysProbe_ThenItIsHealthyAgainstTheVaultAndUnhealthyQuicklyWhenNothingListens()
    {
        // The first call in a process pays for JIT (over a second on a busy machine); the probe's 2 s budget
        // is for a warm host, so warm this process first.
        await fixture.Client().GetKeyAsync("ndhm-signing", null, None);
        var patient = fixture.Options() with { ProbeTimeout = TimeSpan.FromSeconds(15) }; // shared, loaded test machine
        var healthy = await new KeysProbe(fixture.Client(patient), patient).CheckAsync(None);
        Assert.True(healthy.Healthy, $"{healthy.Error} after {healthy.ElapsedMs} ms");
        Assert.Equal("keys", healthy.Name);

        var nowhere = fixture.Options() with { VaultUri = new Uri("http://127.0.0.1:9/") };
        var unhealthy = await new KeysProbe(fixture.Client(nowhere), nowhere).CheckAsync(None);
        Assert.False(unhealthy.Healthy);
        Assert.True(unhealthy.ElapsedMs < 10_000, $"probe took {unhealthy.ElapsedMs} ms");
        Assert.NotNull(unhealthy.Error);
    }

    [Fact]
    public async Task GivenAddNdhmKeys_WhenResolvedWithSandboxSettings_ThenTheIssuerAndValidatorWork()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KeyVault:Uri"] = fixture.Vault.BaseUri.ToString(),
            ["KeyVault__SigningKeyName"] = "ndhm-signing",
            ["KeyVault:WrappingKeyName"] = "ndhm-wrapping",
            ["KeyVault:LocalToken"] = LocalKeyVaultProcess.Token,
            ["Auth:Issuer"] = "https://ndhm.sandbox.local",
        }).Build();
        var services = new ServiceCollection().AddNdhmKeys(configuration);
        using var provider = services.BuildServiceProvider();
        var issuer = provider.GetRequiredService<JwtIssuer>();
        var validator = provider.GetRequiredService<JwtValidator>();

        var issued = await issuer.IssueAsync(new TokenRequest("admin-1", Audience, ["PLATFORM_ADMIN"]), None);
        var caller = await validator.ValidateAsync(issued.Token, Audience, None);

        Assert.True(caller.IsInRole("PLATFORM_ADMIN"));
        Assert.Equal(Encoding.ASCII.GetByteCount(issued.Token), issued.Token.Length);
    }
}
