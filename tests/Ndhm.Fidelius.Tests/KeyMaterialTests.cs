using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Ndhm.Fidelius.Tests;

public sealed class KeyMaterialTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static JsonObject ValidJson(string? keyValue = null, string? nonce = null) => new()
    {
        ["cryptoAlg"] = "ECDH",
        ["curve"] = "Curve25519",
        ["dhPublicKey"] = new JsonObject
        {
            ["expiry"] = "2026-11-26T10:00:00.000Z",
            ["parameters"] = "Curve25519/32byte random key",
            ["keyValue"] = keyValue ?? PublishedVectorTests.RequesterX509PublicKey,
        },
        ["nonce"] = nonce ?? PublishedVectorTests.RequesterNonce,
    };

    private static string Code(JsonObject json, DateTimeOffset? now = null) =>
        Assert.Throws<FideliusException>(() =>
            AbdmKeyMaterial.Parse(json.ToJsonString(), new FakeTimeProvider(now ?? Now))).Code;

    [Theory]
    [InlineData(PublishedVectorTests.RequesterX509PublicKey)]
    [InlineData(PublishedVectorTests.RequesterPublicKey)]
    public void GivenValidKeyMaterialInEitherKeyForm_WhenParsed_ThenKeyNonceAndExpiryComeOut(string keyValue)
    {
        var peer = AbdmKeyMaterial.Parse(ValidJson(keyValue).ToJsonString(), new FakeTimeProvider(Now));

        Assert.Equal(FideliusPublicKey.Parse(PublishedVectorTests.RequesterPublicKey), peer.PublicKey);
        Assert.Equal(PublishedVectorTests.RequesterNonce, peer.Nonce.ToBase64());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero), peer.Expiry);
    }

    [Fact]
    public void GivenGeneratedKeyMaterial_WhenSentAsAbdmJsonAndParsed_ThenTheOtherSideGetsTheSameKeyAndNonce()
    {
        var time = new FakeTimeProvider(Now);
        var mine = FideliusKeyMaterial.Generate(time, TimeSpan.FromHours(2));

        foreach (var x509 in new[] { true, false })
        {
            var peer = AbdmKeyMaterial.Parse(mine.ToAbdm(x509).ToJson(), time);
            Assert.Equal(mine.PublicKey, peer.PublicKey);
            Assert.Equal(mine.Nonce, peer.Nonce);
            Assert.Equal(Now.AddHours(2), peer.Expiry);
        }
    }

    [Fact]
    public void GivenKeyMaterial_WhenItsExpiryPasses_ThenItIsRefusedAsExpired()
    {
        var time = new FakeTimeProvider(Now);
        var json = FideliusKeyMaterial.Generate(time, TimeSpan.FromMinutes(30)).ToAbdm().ToJson();

        time.Advance(TimeSpan.FromMinutes(31));

        var e = Assert.Throws<FideliusException>(() => AbdmKeyMaterial.Parse(json, time));
        Assert.Equal(FideliusErrorCodes.KeyExpired, e.Code);
        Assert.NotNull(AbdmKeyMaterial.Parse(json, time, clockSkew: TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void GivenAnExpiryWithoutOffset_WhenParsed_ThenItIsReadAsUtc()
    {
        var json = ValidJson();
        json["dhPublicKey"]!["expiry"] = "2026-11-25T10:30:00";

        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 30, 0, TimeSpan.Zero),
            AbdmKeyMaterial.Parse(json.ToJsonString(), new FakeTimeProvider(Now)).Expiry);
        Assert.Equal(FideliusErrorCodes.KeyExpired, Code(json, Now.AddHours(1)));
    }

    [Fact]
    public void GivenAnotherAlgorithmOrCurve_WhenParsed_ThenItIsRefusedAsUnsupported()
    {
        var rsa = ValidJson();
        rsa["cryptoAlg"] = "RSA";
        var p256 = ValidJson();
        p256["curve"] = "P-256";
        var missing = ValidJson();
        missing.Remove("curve");

        Assert.Equal(FideliusErrorCodes.UnsupportedAlgorithm, Code(rsa));
        Assert.Equal(FideliusErrorCodes.UnsupportedAlgorithm, Code(p256));
        Assert.Equal(FideliusErrorCodes.UnsupportedAlgorithm, Code(missing));
    }

    [Fact]
    public void GivenABadPublicKey_WhenParsed_ThenItIsRefusedAsAnInvalidKey()
    {
        var offCurve = Convert.FromBase64String(PublishedVectorTests.RequesterPublicKey);
        offCurve[10] ^= 0x40;

        Assert.Equal(FideliusErrorCodes.InvalidKey, Code(ValidJson(Convert.ToBase64String(offCurve))));
        Assert.Equal(FideliusErrorCodes.InvalidKey, Code(ValidJson("bm90IGEga2V5")));
    }

    [Fact]
    public void GivenANonceOfTheWrongLength_WhenParsed_ThenItIsRefusedAsAnInvalidNonce()
    {
        Assert.Equal(FideliusErrorCodes.InvalidNonce, Code(ValidJson(nonce: Convert.ToBase64String(new byte[16]))));
        Assert.Equal(FideliusErrorCodes.InvalidNonce, Code(ValidJson(nonce: "3fa85f64-5717-4562-b3fc-2c963f66afa6")));
    }

    [Fact]
    public void GivenMissingPartsOrBrokenJson_WhenParsed_ThenItIsRefusedAsInvalidKeyMaterial()
    {
        var noKey = ValidJson();
        noKey.Remove("dhPublicKey");
        var noExpiry = ValidJson();
        ((JsonObject)noExpiry["dhPublicKey"]!).Remove("expiry");
        var badExpiry = ValidJson();
        badExpiry["dhPublicKey"]!["expiry"] = "tomorrow";

        Assert.Equal(FideliusErrorCodes.InvalidKeyMaterial, Code(noKey));
        Assert.Equal(FideliusErrorCodes.InvalidKeyMaterial, Code(noExpiry));
        Assert.Equal(FideliusErrorCodes.InvalidKeyMaterial, Code(badExpiry));
        Assert.Equal(FideliusErrorCodes.InvalidKeyMaterial,
            Assert.Throws<FideliusException>(() => AbdmKeyMaterial.Parse("{\"cryptoAlg\":", TimeProvider.System)).Code);
        Assert.Equal(FideliusErrorCodes.InvalidKeyMaterial,
            Assert.Throws<FideliusException>(() => AbdmKeyMaterial.Parse("null", TimeProvider.System)).Code);
    }

    [Fact]
    public void GivenTwoGenerations_WhenCompared_ThenNothingIsReused()
    {
        var a = FideliusKeyMaterial.Generate(TimeProvider.System);
        var b = FideliusKeyMaterial.Generate(TimeProvider.System);

        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.NotEqual(a.Nonce, b.Nonce);
    }
}
