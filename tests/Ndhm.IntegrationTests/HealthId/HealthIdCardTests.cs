using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

public sealed class HealthIdCardTests(HealthIdHostFixture sandbox) : IClassFixture<HealthIdHostFixture>
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task GivenAPatient_WhenFetchingTheAbhaCard_ThenAPngIsReturned()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());

        using var response = await SendAsync(Client, HttpMethod.Get, "v3/profile/account/abha-card", Token(enrolled));
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 1000);
    }

    [Fact]
    public async Task GivenTheCardQrPayload_WhenVerifiedOfflineAgainstTheJwks_ThenTheSignatureHoldsAndNamesTheAbha()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var qr = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account/qr-token", Token(enrolled)));
        var jwks = await OkJsonAsync(await Client.GetAsync("api/.well-known/jwks.json"));

        var parts = qr.GetProperty("qrToken").GetString()!.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == header.GetProperty("kid").GetString());
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });

        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
        Assert.Equal(Number(enrolled), payload.GetProperty("hidn").GetString());
        Assert.Equal("abha-card+jwt", header.GetProperty("typ").GetString());
    }
}
