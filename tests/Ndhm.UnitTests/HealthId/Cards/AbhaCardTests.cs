using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Cards;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.HealthId.Cards;

public sealed class AbhaCardTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));

    internal static AbhaAccount Account(LocalName? localName = null, byte[]? photo = null, DateOfBirth? dob = null,
        string firstName = "Asha", string? middleName = null, string lastName = "Verma")
    {
        var account = AbhaAccount.Enrol(new AbhaEnrolment
        {
            AbhaNumber = AbhaNumber.Parse("91-6285-4575-5116"),
            Name = PersonName.Create(firstName, middleName, lastName),
            Gender = Gender.F,
            DateOfBirth = dob ?? new DateOfBirth(1990, 4, 12),
            KycStatus = KycStatus.Verified,
            AadhaarHash = "hash",
            Mobile = MobileNumber.Parse("9000000001"),
            MobileHash = "mobile-hash",
            MobileVerified = true,
            LocalName = localName,
            Photo = photo,
        }, Time);
        account.AddAddress(Ndhm.HealthId.Addresses.AbhaAddress.Parse("asha.verma", "sbx"), preferred: true, Time);
        return account;
    }

    [Fact]
    public void GivenAnAccount_WhenItsCardIsMade_ThenItShowsTheFullBirthDateTheGenderInWordsAndTheMobileMasked()
    {
        var photo = new byte[] { 0xFF, 0xD8, 0x00, 0xFF, 0xD9 };

        var card = AbhaCard.From(Account(new LocalName("आशा वर्मा", "hi"), photo), "qr");

        Assert.Equal("Asha Verma", card.Name);
        Assert.Equal("आशा वर्मा", card.LocalName!.Name);
        Assert.Equal("91-6285-4575-5116", card.AbhaNumber);
        Assert.Equal("asha.verma@sbx", card.AbhaAddress);
        Assert.Equal("12-04-1990", card.DateOfBirth);
        Assert.Equal("Female", card.Gender);
        Assert.Equal("******0001", card.Mobile);
        Assert.Same(photo, card.Photo);
        Assert.Equal("qr", card.QrPayload);
    }

    [Fact]
    public void GivenOnlyABirthYear_WhenTheCardIsMade_ThenTheCardShowsTheYearAlone()
    {
        Assert.Equal("1990", AbhaCard.From(Account(dob: new DateOfBirth(1990)), "qr").DateOfBirth);
    }

    [Fact]
    public async Task GivenAnAccount_WhenTheQrPayloadIsSigned_ThenItIsACompactJwsOverTheCardClaimsThatTheJwksVerifies()
    {
        using var keys = new InMemorySigningKeys();
        var service = new AbhaCardService(keys, new RecordingPrinter(), Time);

        var jws = await service.SignQrPayloadAsync(Account(), CancellationToken.None);

        var (header, payload) = Verify(jws, (await keys.GetPublicKeysAsync(false, CancellationToken.None))[0]);
        Assert.Equal("abha-card+jwt", header.GetProperty("typ").GetString());
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("91-6285-4575-5116", payload.GetProperty("hidn").GetString());
        Assert.Equal("asha.verma@sbx", payload.GetProperty("hid").GetString());
        Assert.Equal("Asha Verma", payload.GetProperty("name").GetString());
        Assert.Equal("F", payload.GetProperty("gender").GetString());
        Assert.Equal(1990, payload.GetProperty("yob").GetInt32());
        Assert.Equal(Time.GetUtcNow().ToUnixTimeSeconds(), payload.GetProperty("iat").GetInt64());
    }

    [Fact]
    public async Task GivenAFormat_WhenTheCardIsPrinted_ThenThePrinterGetsTheCardWithTheSignedQrAndTheFormat()
    {
        using var keys = new InMemorySigningKeys();
        var printer = new RecordingPrinter();
        var service = new AbhaCardService(keys, printer, Time);

        var printed = await service.PrintAsync(Account(), AbhaCardFormat.Pdf, CancellationToken.None);

        Assert.Equal("application/pdf", printed.MediaType);
        Assert.Equal(AbhaCardFormat.Pdf, printer.Format);
        Assert.Equal("91-6285-4575-5116", printer.Card!.AbhaNumber);
        Verify(printer.Card.QrPayload, (await keys.GetPublicKeysAsync(false, CancellationToken.None))[0]);
    }

    [Fact]
    public async Task GivenAnErasedAccount_WhenItsCardIsAskedFor_ThenItIsGoneAndNothingIsPrinted()
    {
        using var keys = new InMemorySigningKeys();
        var printer = new RecordingPrinter();
        var account = Account();
        account.Erase(Time);

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            new AbhaCardService(keys, printer, Time).PrintAsync(account, AbhaCardFormat.Png, CancellationToken.None));

        Assert.Equal(ErrorKind.Gone, error.Kind);
        Assert.Null(printer.Card);
    }

    /// <summary>Checks an ES256 compact JWS against a JWK as a verifier holding only the JWKS would.</summary>
    internal static (JsonElement Header, JsonElement Payload) Verify(string jws, Ndhm.Core.Keys.PublicJsonWebKey jwk)
    {
        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal(jwk.Kid, header.GetProperty("kid").GetString());
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.X), Y = Base64Url.DecodeFromChars(jwk.Y) },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256));
        return (header, JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement);
    }

    private sealed class RecordingPrinter : IAbhaCardPrinter
    {
        public AbhaCard? Card { get; private set; }
        public AbhaCardFormat? Format { get; private set; }

        public byte[] Print(AbhaCard card, AbhaCardFormat format)
        {
            Card = card;
            Format = format;
            return [1, 2, 3];
        }
    }
}
