using Ndhm.UnitTests.HealthId.Cards;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ndhm.HealthId.Kyc;
using PdfSharp.Pdf.IO;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>The host with, besides the usual fresh identities, one whose e-KYC has a Hindi name and a photo.</summary>
public sealed class AbhaCardHostFixture : HealthIdHostFixture
{
    public const string HindiName = "परीक्षा व्यक्ति";

    public TestIdentity HindiIdentity { get; } = NewIdentity();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings
    {
        get
        {
            var prefix = $"HealthId__Kyc__Identities__{IdentityCount}__";
            return new Dictionary<string, string?>
            {
                [prefix + "AadhaarNumber"] = HindiIdentity.Aadhaar,
                [prefix + "FirstName"] = HindiIdentity.FirstName,
                [prefix + "LastName"] = HindiIdentity.LastName,
                [prefix + "Gender"] = "M",
                [prefix + "BirthDate"] = "1988-09-21",
                [prefix + "PinCode"] = "821307",
                [prefix + "Mobile"] = HindiIdentity.Mobile,
                [prefix + "LocalName"] = HindiName,
                [prefix + "LocalNameLanguage"] = "hi",
                [prefix + "Photo"] = SandboxKycPhotos.Asha,
            };
        }
    }
}

public sealed class HealthIdCardTests(AbhaCardHostFixture sandbox) : IClassFixture<AbhaCardHostFixture>
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task GivenAPatient_WhenFetchingTheAbhaCard_ThenACardSizedColourPngWhoseQrVerifiesAgainstTheJwksIsReturned()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());

        await AssertCardAsync(enrolled);
    }

    [Fact]
    public async Task GivenAPatientWithAHindiNameAndAKycPhoto_WhenFetchingTheAbhaCard_ThenTheCardStillCarriesTheVerifiableQr()
    {
        var enrolled = await EnrolAsync(Client, sandbox.HindiIdentity);

        await AssertCardAsync(enrolled);
    }

    [Fact]
    public async Task GivenAcceptPdf_WhenFetchingTheAbhaCard_ThenAOnePagePdfOfTheCardsAspectIsReturned()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v3/profile/account/abha-card");
        request.Headers.Authorization = new("Bearer", Token(enrolled));
        request.Headers.Accept.ParseAdd("application/pdf");

        using var response = await Client.SendAsync(request);
        var pdf = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(1, document.PageCount);
        Assert.Equal(711.0 / 360.0, document.Pages[0].Width.Point / document.Pages[0].Height.Point, 3);
    }

    [Fact]
    public async Task GivenAnAcceptTypeTheCardDoesNotComeAs_WhenFetchingTheAbhaCard_ThenThePngIsReturned()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v3/profile/account/abha-card");
        request.Headers.Authorization = new("Bearer", Token(enrolled));
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await Client.SendAsync(request);

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GivenTheCardQrPayload_WhenVerifiedOfflineAgainstTheJwks_ThenTheSignatureHoldsAndNamesTheAbha()
    {
        var enrolled = await EnrolAsync(Client, sandbox.NextIdentity());
        var qr = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account/qr-token", Token(enrolled)));

        var (header, payload) = await VerifyAsync(qr.GetProperty("qrToken").GetString()!);

        Assert.Equal(Number(enrolled), payload.GetProperty("hidn").GetString());
        Assert.Equal("abha-card+jwt", header.GetProperty("typ").GetString());
    }

    private async Task AssertCardAsync(JsonElement enrolled)
    {
        using var response = await SendAsync(Client, HttpMethod.Get, "v3/profile/account/abha-card", Token(enrolled));
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var image = CardImages.Decode(png);
        Assert.Equal((711, 360), (image.Width, image.Height));
        Assert.True(CardImages.ColouredPixels(image) > 711 * 40, "the card is in colour");
        var qr = CardImages.ReadQr(image);
        Assert.NotNull(qr);
        var (_, payload) = await VerifyAsync(qr);
        Assert.Equal(Number(enrolled), payload.GetProperty("hidn").GetString());
        Assert.Equal(enrolled.GetProperty("ABHAProfile").GetProperty("firstName").GetString() + " "
            + enrolled.GetProperty("ABHAProfile").GetProperty("lastName").GetString(), payload.GetProperty("name").GetString());
    }

    /// <summary>Checks a compact ES256 JWS with nothing but the published JWKS, as a facility's scanner would.</summary>
    private async Task<(JsonElement Header, JsonElement Payload)> VerifyAsync(string jws)
    {
        var jwks = await OkJsonAsync(await Client.GetAsync("api/.well-known/jwks.json"));
        var parts = jws.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        var jwk = jwks.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("kid").GetString() == header.GetProperty("kid").GetString());
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
        return (header, payload);
    }
}
