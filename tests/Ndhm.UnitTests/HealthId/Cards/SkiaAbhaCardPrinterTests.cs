using Microsoft.Extensions.Time.Testing;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Cards;
using Ndhm.HealthId.Kyc;
using Ndhm.Infrastructure.HealthId.Cards;
using Ndhm.UnitTests.Security.Tokens;
using PdfSharp.Pdf.IO;
using SkiaSharp;

namespace Ndhm.UnitTests.HealthId.Cards;

public sealed class SkiaAbhaCardPrinterTests
{
    private readonly SkiaAbhaCardPrinter printer = new();

    private static AbhaCard Card(string name = "Asha Verma", LocalName? localName = null, byte[]? photo = null) => new()
    {
        Name = name,
        LocalName = localName,
        AbhaNumber = "91-6285-4575-5116",
        AbhaAddress = "asha.verma@sbx",
        DateOfBirth = "12-04-1990",
        Gender = "Female",
        Mobile = "******0001",
        Photo = photo,
        QrPayload = "eyJhbGciOiJFUzI1NiJ9.eyJoaWRuIjoiOTEtNjI4NS00NTc1LTUxMTYifQ.c2lnbmF0dXJl",
    };

    [Theory]
    [InlineData("Asha", null, "Verma", null)]
    [InlineData("Asha", null, "Verma", "आशा वर्मा")]
    [InlineData("Ravi", "Shankar", "Kumar", "रवि शंकर कुमार")]
    public async Task GivenANameInEnglishOrHindi_WhenTheCardIsRendered_ThenItIsACardSizedColourPngWhoseQrVerifiesAgainstTheJwks(
        string first, string? middle, string last, string? hindi)
    {
        using var keys = new InMemorySigningKeys();
        var service = new AbhaCardService(keys, printer, new FakeTimeProvider());
        var account = AbhaCardTests.Account(hindi is null ? null : new LocalName(hindi, "hi"), firstName: first, middleName: middle,
            lastName: last);

        var printed = await service.PrintAsync(account, AbhaCardFormat.Png, CancellationToken.None);

        Assert.Equal("image/png", printed.MediaType);
        using var image = CardImages.Decode(printed.Content);
        Assert.Equal((711, 360), (image.Width, image.Height));
        Assert.True(CardImages.ColouredPixels(image) > 711 * 40, "the header band and the rules are in colour");
        var qr = CardImages.ReadQr(image);
        Assert.NotNull(qr);
        var (_, payload) = AbhaCardTests.Verify(qr, (await keys.GetPublicKeysAsync(false, CancellationToken.None))[0]);
        Assert.Equal("91-6285-4575-5116", payload.GetProperty("hidn").GetString());
        Assert.Equal(account.Name!.FullName, payload.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GivenCardsPrintedAtTheSameTime_WhenCompared_ThenEachIsTheSameAsWhenPrintedAlone()
    {
        var card = Card(localName: new LocalName("आशा वर्मा", "hi"));
        var alone = printer.Print(card, AbhaCardFormat.Png);

        var together = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => printer.Print(card, AbhaCardFormat.Png))));

        Assert.All(together, png => Assert.Equal(alone, png));
    }

    [Fact]
    public void GivenAHindiName_WhenTheCardIsRendered_ThenItIsDrawnUnderTheEnglishName()
    {
        using var english = CardImages.Decode(printer.Print(Card(), AbhaCardFormat.Png));
        using var both = CardImages.Decode(printer.Print(Card(localName: new LocalName("आशा वर्मा", "hi")), AbhaCardFormat.Png));

        Assert.True(CardImages.Differences(english, both, new SKRectI(140, 112, 440, 140)) > 200,
            "the Devanagari name is drawn on the line below the English one");
    }

    [Fact]
    public void GivenALocalNameInAScriptWithoutAnEmbeddedFont_WhenTheCardIsRendered_ThenItIsLeftOutRatherThanDrawnAsBoxes()
    {
        using var english = CardImages.Decode(printer.Print(Card(), AbhaCardFormat.Png));
        using var tamil = CardImages.Decode(printer.Print(Card(localName: new LocalName("மீனாட்சி", "ta")), AbhaCardFormat.Png));

        Assert.Equal(0, CardImages.Differences(english, tamil, new SKRectI(0, 0, 711, 360)));
    }

    [Fact]
    public void GivenANameTooLongForTheLine_WhenTheCardIsRendered_ThenItStaysLeftOfTheQr()
    {
        using var image = CardImages.Decode(printer.Print(Card(name: "Meenakshi Sundaram Venkataraman Iyer Ramaswamy"), AbhaCardFormat.Png));

        Assert.NotNull(CardImages.ReadQr(image));
    }

    [Fact]
    public void GivenAKycPhoto_WhenTheCardIsRendered_ThenThePhotoReplacesThePlaceholder()
    {
        var photo = Convert.FromBase64String(SandboxKycPhotos.Asha);
        var photoArea = new SKRectI(22, 86, 126, 218);

        using var placeholder = CardImages.Decode(printer.Print(Card(), AbhaCardFormat.Png));
        using var withPhoto = CardImages.Decode(printer.Print(Card(photo: photo), AbhaCardFormat.Png));

        Assert.True(CardImages.Differences(placeholder, withPhoto, photoArea) > photoArea.Width * photoArea.Height / 2);
    }

    [Fact]
    public void GivenAPhotoThatIsNotAnImage_WhenTheCardIsRendered_ThenThePlaceholderIsDrawn()
    {
        using var placeholder = CardImages.Decode(printer.Print(Card(), AbhaCardFormat.Png));
        using var broken = CardImages.Decode(printer.Print(Card(photo: [0xFF, 0xD8, 1, 2, 3, 0xFF, 0xD9]), AbhaCardFormat.Png));

        Assert.Equal(0, CardImages.Differences(placeholder, broken, new SKRectI(0, 0, 711, 360)));
    }

    [Fact]
    public void GivenPdf_WhenTheCardIsPrinted_ThenItIsAValidOnePagePdfOfTheCardsAspect()
    {
        var pdf = printer.Print(Card(localName: new LocalName("आशा वर्मा", "hi")), AbhaCardFormat.Pdf);

        Assert.Equal("%PDF-"u8.ToArray(), pdf[..5]);
        using var document = PdfReader.Open(new MemoryStream(pdf), PdfDocumentOpenMode.Import);
        Assert.Equal(1, document.PageCount);
        var page = document.Pages[0];
        Assert.Equal(711.0 / 360.0, page.Width.Point / page.Height.Point, 3);
        Assert.Equal(711 * SkiaAbhaCardPrinter.PdfPointsPerUnit, page.Width.Point, 1);
    }
}
