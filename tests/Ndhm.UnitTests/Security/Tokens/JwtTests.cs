using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.UnitTests.Security.Tokens;

public sealed class JwtTests : IDisposable
{
    private const string Issuer = "https://ndhm.example.in";
    private const string Audience = "ndhm-api";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
    private readonly TokenOptions _options = new() { Issuer = Issuer };
    private readonly InMemorySigningKeys _keys = new();

    public void Dispose() => _keys.Dispose();

    private JwtIssuer Issuer_() => new(_keys, _options, _time);
    private JwtValidator Validator(TokenOptions? options = null) => new(_keys, options ?? _options, _time);

    private Task<IssuedToken> IssueAsync(TimeSpan? lifetime = null, IReadOnlyDictionary<string, object?>? extra = null) =>
        Issuer_().IssueAsync(new TokenRequest("partner-42", Audience, [Roles.Hip, Roles.Hiu], lifetime, extra), CancellationToken.None);

    private async Task<string> RejectedReasonAsync(string token, string audience = Audience, TokenOptions? options = null)
    {
        var error = await Assert.ThrowsAsync<DomainException>(() => Validator(options).ValidateAsync(token, audience, CancellationToken.None));
        Assert.Equal(ErrorKind.Unauthenticated, error.Kind);
        Assert.Equal(ErrorCodes.InvalidToken, error.Code);
        return error.Detail!;
    }

    [Theory]
    [InlineData("EC", "ES256")]
    [InlineData("RSA", "RS256")]
    public async Task GivenAnIssuedToken_WhenValidated_ThenTheCallerIdentityCarriesItsClaims(string kty, string alg)
    {
        using var keys = new InMemorySigningKeys(kty);
        var issued = await new JwtIssuer(keys, _options, _time).IssueAsync(
            new TokenRequest("partner-42", Audience, [Roles.Hip], TimeSpan.FromMinutes(5), new Dictionary<string, object?> { ["hipId"] = "IN2810014366" }),
            CancellationToken.None);

        var caller = await new JwtValidator(keys, _options, _time).ValidateAsync(issued.Token, Audience, CancellationToken.None);

        Assert.Equal("partner-42", caller.Subject);
        Assert.True(caller.IsInRole(Roles.Hip));
        Assert.Equal(issued.TokenId, caller.TokenId);
        Assert.Equal(_time.GetUtcNow().AddMinutes(5), caller.ExpiresAt);
        Assert.Equal("IN2810014366", caller.Claims["hipId"]);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(issued.Token.Split('.')[0]))!;
        Assert.Equal(alg, (string?)header["alg"]);
        Assert.Equal("JWT", (string?)header["typ"]);
        Assert.Equal(keys.CurrentKid, (string?)header["kid"]);
        Assert.Equal(keys.CurrentKid, issued.KeyId);
    }

    [Fact]
    public async Task GivenATokenPayload_ThenItHasTheRegisteredClaims()
    {
        var issued = await IssueAsync(TimeSpan.FromMinutes(10));
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(issued.Token.Split('.')[1]))!;
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(Issuer, (string?)payload["iss"]);
        Assert.Equal("partner-42", (string?)payload["sub"]);
        Assert.Equal(Audience, (string?)payload["aud"]);
        Assert.Equal(now, (long)payload["iat"]!);
        Assert.Equal(now, (long)payload["nbf"]!);
        Assert.Equal(now + 600, (long)payload["exp"]!);
        Assert.Equal(issued.TokenId, (string?)payload["jti"]);
        Assert.Equal([Roles.Hip, Roles.Hiu], payload["roles"]!.AsArray().Select(r => (string)r!).ToArray());
    }

    [Fact]
    public async Task GivenAnExpiredToken_WhenValidated_ThenItIsRejected()
    {
        var issued = await IssueAsync(TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(5) + _options.ClockSkew);
        Assert.Equal("The token has expired.", await RejectedReasonAsync(issued.Token));
    }

    [Fact]
    public async Task GivenATokenJustPastExpiry_WhenWithinClockSkew_ThenItIsAccepted()
    {
        var issued = await IssueAsync(TimeSpan.FromMinutes(5));
        _time.Advance(TimeSpan.FromMinutes(5) + _options.ClockSkew - TimeSpan.FromSeconds(1));
        await Validator().ValidateAsync(issued.Token, Audience, CancellationToken.None);
    }

    [Fact]
    public async Task GivenATokenNotYetValid_WhenValidatedBeyondClockSkew_ThenItIsRejected()
    {
        // The issuer's clock runs ahead of the validator's by more than the tolerated skew.
        var issuerClock = new FakeTimeProvider(_time.GetUtcNow() + _options.ClockSkew + TimeSpan.FromSeconds(1));
        var issued = await new JwtIssuer(_keys, _options, issuerClock).IssueAsync(new TokenRequest("p", Audience, []), CancellationToken.None);
        Assert.Equal("The token is not yet valid.", await RejectedReasonAsync(issued.Token));

        _time.Advance(TimeSpan.FromSeconds(1));
        await Validator().ValidateAsync(issued.Token, Audience, CancellationToken.None);
    }

    [Fact]
    public async Task GivenAnotherIssuer_WhenValidated_ThenItIsRejected()
    {
        var issued = await IssueAsync();
        Assert.Equal("The token issuer is not accepted.",
            await RejectedReasonAsync(issued.Token, options: _options with { Issuer = "https://evil.example" }));
    }

    [Fact]
    public async Task GivenAnotherAudience_WhenValidated_ThenItIsRejected()
    {
        var issued = await IssueAsync();
        Assert.Equal("The token audience is not accepted.", await RejectedReasonAsync(issued.Token, audience: "ndhm-admin"));
    }

    [Fact]
    public async Task GivenATamperedPayload_WhenValidated_ThenTheSignatureFails()
    {
        var parts = (await IssueAsync()).Token.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        payload["roles"] = new JsonArray(Roles.PlatformAdmin);
        var forged = $"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()))}.{parts[2]}";
        Assert.Equal("The token signature is not valid.", await RejectedReasonAsync(forged));
    }

    [Fact]
    public async Task GivenATokenFromAnUnknownKey_WhenValidated_ThenItIsRejected()
    {
        using var other = new InMemorySigningKeys();
        var issued = await new JwtIssuer(other, _options, _time).IssueAsync(new TokenRequest("x", Audience, []), CancellationToken.None);
        Assert.Equal("The token was signed by an unknown key.", await RejectedReasonAsync(issued.Token));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("HS256")]
    [InlineData("ES384")]
    [InlineData("PS256")]
    public async Task GivenAnAlgorithmOutsideTheAllowList_WhenValidated_ThenItIsRejected(string alg)
    {
        var parts = (await IssueAsync()).Token.Split('.');
        var header = Segment(new JsonObject { ["alg"] = alg, ["typ"] = "JWT", ["kid"] = _keys.CurrentKid });
        Assert.Equal("The token algorithm is not accepted.", await RejectedReasonAsync($"{header}.{parts[1]}.{parts[2]}"));
    }

    [Fact]
    public async Task GivenAnUnsignedToken_WhenValidated_ThenItIsRejected()
    {
        var parts = (await IssueAsync()).Token.Split('.');
        var header = Segment(new JsonObject { ["alg"] = "none", ["kid"] = _keys.CurrentKid });
        await RejectedReasonAsync($"{header}.{parts[1]}.");
        await RejectedReasonAsync($"{header}.{parts[1]}");
    }

    [Fact]
    public async Task GivenAnHmacSignedWithThePublicKey_WhenValidated_ThenItIsRejected()
    {
        // The classic confusion: HS256 keyed with the published public key, which an attacker knows.
        var parts = (await IssueAsync()).Token.Split('.');
        var jwk = (await _keys.GetPublicKeysAsync(false, CancellationToken.None))[0];
        var header = Segment(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = jwk.Kid });
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(jwk)), Encoding.ASCII.GetBytes($"{header}.{parts[1]}"));
        await RejectedReasonAsync($"{header}.{parts[1]}.{Base64Url.EncodeToString(mac)}");
    }

    [Fact]
    public async Task GivenAnEcKeyClaimedAsRs256_WhenValidated_ThenItIsRejected()
    {
        var parts = (await IssueAsync()).Token.Split('.');
        var header = Segment(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = _keys.CurrentKid });
        Assert.Equal("The token signature is not valid.", await RejectedReasonAsync($"{header}.{parts[1]}.{parts[2]}"));
    }

    [Fact]
    public async Task GivenAnRsaKeyClaimedAsEs256_WhenValidated_ThenItIsRejected()
    {
        _keys.Rotate("RSA");
        var parts = (await IssueAsync()).Token.Split('.');
        var header = Segment(new JsonObject { ["alg"] = "ES256", ["typ"] = "JWT", ["kid"] = _keys.CurrentKid });
        Assert.Equal("The token signature is not valid.", await RejectedReasonAsync($"{header}.{parts[1]}.{parts[2]}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("a.b.c.d")]
    [InlineData("e30.e30.e30")]
    [InlineData("e30=.e30.e30")]
    [InlineData("e30 .e30.e30")]
    public async Task GivenGarbage_WhenValidated_ThenItIsRejectedAsMalformed(string token)
    {
        await RejectedReasonAsync(token);
    }

    [Fact]
    public async Task GivenAKeyRotation_ThenNewTokensCarryTheNewKidAndOldTokensStillValidate()
    {
        var before = await IssueAsync();
        var newKid = _keys.Rotate();
        var after = await IssueAsync();

        Assert.Equal(newKid, after.KeyId);
        Assert.NotEqual(before.KeyId, after.KeyId);
        await Validator().ValidateAsync(before.Token, Audience, CancellationToken.None);
        await Validator().ValidateAsync(after.Token, Audience, CancellationToken.None);

        // Two rotations later the first version is no longer published, so its tokens stop validating.
        _keys.Rotate();
        Assert.Equal("The token was signed by an unknown key.", await RejectedReasonAsync(before.Token));
        await Validator().ValidateAsync(after.Token, Audience, CancellationToken.None);
    }

    [Fact]
    public async Task GivenAnExtraClaimNamedLikeARegisteredOne_WhenIssuing_ThenItIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => IssueAsync(extra: new Dictionary<string, object?> { ["roles"] = new[] { Roles.PlatformAdmin } }));
    }

    [Fact]
    public async Task GivenAPartnerSessionToken_WhenValidated_ThenTheCallerCarriesItsClientId()
    {
        var issued = await Issuer_().IssueAsync(new TokenRequest("city-hospital", Audience, [Roles.Hip], ClientId: "city-hospital"), CancellationToken.None);
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(issued.Token.Split('.')[1]))!;

        var caller = await Validator().ValidateAsync(issued.Token, Audience, CancellationToken.None);

        Assert.Equal("city-hospital", (string?)payload["client_id"]);
        Assert.Equal("city-hospital", caller.ClientId);
        Assert.False(caller.Claims.ContainsKey("client_id"));
    }

    [Fact]
    public async Task GivenATokenIssuedWithoutAClientId_WhenValidated_ThenTheCallerHasNone()
    {
        var issued = await IssueAsync();
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(issued.Token.Split('.')[1]))!.AsObject();

        var caller = await Validator().ValidateAsync(issued.Token, Audience, CancellationToken.None);

        Assert.False(payload.ContainsKey("client_id"));
        Assert.Null(caller.ClientId);
    }

    [Fact]
    public async Task GivenAClientIdAsAnExtraClaim_WhenIssuing_ThenItIsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => IssueAsync(extra: new Dictionary<string, object?> { ["client_id"] = "city-hospital" }));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"\"")]
    [InlineData("[\"city-hospital\"]")]
    [InlineData("null")]
    public async Task GivenASignedTokenWhoseClientIdIsNotAName_WhenValidated_ThenItIsRejectedAsMalformed(string clientIdJson)
    {
        // Signed by the real key: a partner-session marker that cannot be read must not pass as an ordinary token.
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = Issuer, ["sub"] = "city-hospital", ["aud"] = Audience, ["iat"] = now, ["exp"] = now + 600, ["jti"] = "j1",
            ["client_id"] = JsonNode.Parse(clientIdJson),
        };

        Assert.Equal("The token claims are malformed.", await RejectedReasonAsync(await SignAsync(payload)));
    }

    [Fact]
    public async Task GivenPublishedKeys_ThenTheJwksDocumentHasOnlyPublicMembers()
    {
        _keys.Rotate("RSA");
        var json = JsonWebKeySet.From(await _keys.GetPublicKeysAsync(false, CancellationToken.None)).ToJson();

        var keys = JsonNode.Parse(json)!["keys"]!.AsArray();
        Assert.Equal(2, keys.Count);
        var rsa = keys[0]!.AsObject();
        Assert.Equal(["kty", "kid", "use", "alg", "n", "e"], rsa.Select(p => p.Key).ToArray());
        Assert.Equal("RS256", (string?)rsa["alg"]);
        var ec = keys[1]!.AsObject();
        Assert.Equal(["kty", "kid", "use", "alg", "crv", "x", "y"], ec.Select(p => p.Key).ToArray());
        Assert.Equal("sig", (string?)ec["use"]);
        Assert.Equal("P-256", (string?)ec["crv"]);
    }

    [Fact]
    public async Task GivenTheHighSTwinOfAValidEs256Signature_WhenValidated_ThenItIsRejected()
    {
        var issued = await IssueAsync();
        var parts = issued.Token.Split('.');
        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.True(Es256Signatures.IsLowS(signature), "the platform issues low-S signatures");
        var n = System.Numerics.BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369");
        var s = new System.Numerics.BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var highS = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var twin = new byte[64];
        signature.AsSpan(0, 32).CopyTo(twin);
        highS.CopyTo(twin.AsSpan(64 - highS.Length));
        var highSToken = parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(twin);
        var jwk = (await _keys.GetPublicKeysAsync(refresh: false, CancellationToken.None))[0];
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.X), Y = Base64Url.DecodeFromChars(jwk.Y) },
        });

        // The twin is a mathematically valid ECDSA signature, refused only because of its form.
        Assert.True(ecdsa.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), twin,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal("The token signature is not valid.", await RejectedReasonAsync(highSToken));
    }

    [Fact]
    public void GivenAHighSSignature_WhenNormalised_ThenItIsTheLowSTwinWithTheSameR()
    {
        var n = System.Numerics.BigInteger.Parse("115792089210356248762697446949407573529996955224135760342422259061068512044369");
        var signature = new byte[64];
        signature[0] = 7;
        (n - 5).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(signature.AsSpan(32));

        var low = Es256Signatures.ToLowS(signature);

        Assert.False(Es256Signatures.IsLowS(signature));
        Assert.True(Es256Signatures.IsLowS(low));
        Assert.Equal(signature[..32], low[..32]);
        Assert.Equal(5, low[63]);
        Assert.All(low[32..63], b => Assert.Equal(0, b));
    }

    private async Task<string> SignAsync(JsonObject payload)
    {
        var key = await _keys.GetCurrentAsync(CancellationToken.None);
        var signingInput = Segment(new JsonObject { ["alg"] = key.Algorithm, ["typ"] = "JWT", ["kid"] = key.KeyId }) + "." + Segment(payload);
        var signature = await _keys.SignAsync(key, SHA256.HashData(Encoding.ASCII.GetBytes(signingInput)), CancellationToken.None);
        return signingInput + "." + Base64Url.EncodeToString(Es256Signatures.ToLowS(signature.Signature));
    }

    private static string Segment(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
