using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Cards;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using QRCoder;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Ndhm.Infrastructure.HealthId.Cards;

/// <summary>
/// Draws the ABHA card with Skia (text shaped by HarfBuzz, fonts embedded: <see cref="CardFonts"/>; QR modules from
/// QRCoder) in the layout of ABDM's card: a blue header band with a saffron rule, the photo (or a placeholder) on
/// the left, name in English and in the person's language, ABHA number, ABHA address, date of birth, gender and
/// masked mobile in the middle, the signed QR on the right, a green rule at the foot. The PNG is 711 x 360; the
/// PDF is one card-sized page (711 x 360 at 192 dpi, about 94 x 48 mm) holding the card drawn at three times the
/// resolution, so it prints sharp.
/// </summary>
public sealed class SkiaAbhaCardPrinter : IAbhaCardPrinter
{
    /// <summary>Pixels per card unit in the PDF's embedded image.</summary>
    public const int PdfScale = 3;

    /// <summary>PDF points per card unit (72 / 192 dpi).</summary>
    public const double PdfPointsPerUnit = 0.375;

    private const int W = IAbhaCardPrinter.Width;
    private const int H = IAbhaCardPrinter.Height;
    private const float HeaderHeight = 64;
    private const float TextLeft = 148;
    private const float QrRight = W - 18;
    private const float QrTop = 80;
    private const float QrMaxSize = 246;

    private static readonly SKColor Navy = new(0x0B, 0x3D, 0x91);
    private static readonly SKColor Blue = new(0x1E, 0x6F, 0xD9);
    private static readonly SKColor Saffron = new(0xFF, 0x99, 0x33);
    private static readonly SKColor IndiaGreen = new(0x13, 0x88, 0x08);
    private static readonly SKColor Ink = new(0x1A, 0x23, 0x3A);
    private static readonly SKColor Label = new(0x5A, 0x67, 0x85);
    private static readonly SKColor Paper = new(0xF7, 0xFA, 0xFF);
    private static readonly SKColor PhotoBack = new(0xE3, 0xEA, 0xF6);
    private static readonly SKColor Silhouette = new(0xA9, 0xB7, 0xD0);

    public byte[] Print(AbhaCard card, AbhaCardFormat format)
    {
        ArgumentNullException.ThrowIfNull(card);
        return format switch
        {
            AbhaCardFormat.Pdf => Pdf(card),
            _ => Png(card, 1),
        };
    }

    /// <summary>The card as a PNG of <see cref="IAbhaCardPrinter.Width"/> x <see cref="IAbhaCardPrinter.Height"/> times <paramref name="scale"/>.</summary>
    public static byte[] Png(AbhaCard card, int scale)
    {
        using var surface = SKSurface.Create(new SKImageInfo(W * scale, H * scale, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("Skia could not create a drawing surface.");
        var canvas = surface.Canvas;
        canvas.Scale(scale);
        Draw(canvas, card);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Pdf(AbhaCard card)
    {
        var png = Png(card, PdfScale);
        using var document = new PdfDocument();
        document.Info.Title = $"ABHA card {card.AbhaNumber}";
        document.Info.Creator = "NDHM Health ID";
        var page = document.AddPage();
        page.Width = XUnit.FromPoint(W * PdfPointsPerUnit);
        page.Height = XUnit.FromPoint(H * PdfPointsPerUnit);
        using (var gfx = XGraphics.FromPdfPage(page))
        using (var stream = new MemoryStream(png, writable: false))
        using (var image = XImage.FromStream(stream))
        {
            gfx.DrawImage(image, 0, 0, page.Width.Point, page.Height.Point);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void Draw(SKCanvas canvas, AbhaCard card)
    {
        var fonts = CardFonts.Instance;
        canvas.Clear(Paper);
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };

        // Header band: navy to blue, a saffron rule under it, a green rule at the foot.
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(W, 0), [Navy, Blue], SKShaderTileMode.Clamp))
        {
            fill.Shader = shader;
            canvas.DrawRect(0, 0, W, HeaderHeight, fill);
            fill.Shader = null;
        }
        fill.Color = Saffron;
        canvas.DrawRect(0, HeaderHeight, W, 5, fill);
        fill.Color = IndiaGreen;
        canvas.DrawRect(0, H - 6, W, 6, fill);

        Text(canvas, fonts, "Ayushman Bharat Health Account", 18, 29, 22, bold: true, SKColors.White, W - 36);
        Text(canvas, fonts, "आयुष्मान भारत स्वास्थ्य खाता", 18, 53, 15, bold: false, new SKColor(0xDD, 0xE8, 0xFF), 300);
        Text(canvas, fonts, "ABHA", W - 18, 40, 26, bold: true, SKColors.White, 120, SKTextAlign.Right);

        DrawPhoto(canvas, card.Photo, fill);

        var qrSize = DrawQr(canvas, card.QrPayload, fill);
        var textRight = QrRight - qrSize - 16;
        var width = textRight - TextLeft;

        var y = 104f;
        Text(canvas, fonts, card.Name, TextLeft, y, 22, bold: true, Ink, width);
        if (card.LocalName is { } local && fonts.For(local.Name, bold: true) is not null)
        {
            y += 28;
            Text(canvas, fonts, local.Name, TextLeft, y, 20, bold: true, Ink, width);
        }

        y += 34;
        Field(canvas, fonts, "ABHA number", card.AbhaNumber, TextLeft, y, width, valueSize: 20);
        y += 48;
        Field(canvas, fonts, "ABHA address", card.AbhaAddress ?? "-", TextLeft, y, width);
        y += 46;
        Field(canvas, fonts, "Date of birth", card.DateOfBirth ?? "-", TextLeft, y, width / 2 - 6);
        Field(canvas, fonts, "Gender", card.Gender ?? "-", TextLeft + width / 2, y, width / 2);
        y += 46;
        Field(canvas, fonts, "Mobile", card.Mobile ?? "-", TextLeft, y, width);

        Text(canvas, fonts, "Scan to verify", QrRight - qrSize / 2, QrTop + qrSize + 14, 11, bold: false, Label, qrSize,
            SKTextAlign.Center);
    }

    /// <summary>A small grey label above its value (baseline of the value at <paramref name="y"/> + 20).</summary>
    private static void Field(SKCanvas canvas, CardFonts fonts, string label, string value, float x, float y, float width,
        float valueSize = 17)
    {
        Text(canvas, fonts, label, x, y, 12, bold: false, Label, width);
        Text(canvas, fonts, value, x, y + 21, valueSize, bold: true, Ink, width);
    }

    /// <summary>
    /// Shaped text at baseline <paramref name="y"/>, shrunk (down to 70%) and then cut with an ellipsis to fit
    /// <paramref name="maxWidth"/>; text in a script without an embedded font is left out.
    /// </summary>
    private static void Text(SKCanvas canvas, CardFonts fonts, string text, float x, float y, float size, bool bold,
        SKColor colour, float maxWidth, SKTextAlign align = SKTextAlign.Left)
    {
        var face = fonts.For(text, bold);
        if (face is null || text.Length == 0) return;
        using var font = new SKFont(face.Typeface, size) { Subpixel = true, Edging = SKFontEdging.SubpixelAntialias };
        var measured = face.Shaper.Shape(text, font).Width;
        if (measured > maxWidth)
        {
            font.Size = Math.Max(size * 0.7f, size * maxWidth / measured);
            while (text.Length > 1 && face.Shaper.Shape(text, font).Width > maxWidth)
                text = text[..^2].TrimEnd() + "…";
        }
        using var paint = new SKPaint { IsAntialias = true, Color = colour };
        canvas.DrawShapedText(face.Shaper, text, x, y, align, font, paint);
    }

    private static void DrawPhoto(SKCanvas canvas, byte[]? jpeg, SKPaint fill)
    {
        var frame = new SKRect(20, 84, 128, 220);
        using var rounded = new SKRoundRect(frame, 8);
        canvas.Save();
        canvas.ClipRoundRect(rounded, antialias: true);
        // A photo that does not decode is drawn as no photo: the card still serves.
        using var photo = jpeg is null ? null : SKImage.FromEncodedData(jpeg);
        if (photo is not null)
        {
            // Cover the frame, cropping the longer side around the centre.
            var scale = Math.Max(frame.Width / photo.Width, frame.Height / photo.Height);
            var w = photo.Width * scale;
            var h = photo.Height * scale;
            canvas.DrawImage(photo, new SKRect(frame.MidX - w / 2, frame.MidY - h / 2, frame.MidX + w / 2, frame.MidY + h / 2),
                new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        else
        {
            fill.Color = PhotoBack;
            canvas.DrawRect(frame, fill);
            fill.Color = Silhouette;
            canvas.DrawCircle(frame.MidX, frame.Top + 50, 24, fill);
            canvas.DrawOval(new SKRect(frame.Left + 14, frame.Top + 82, frame.Right - 14, frame.Bottom + 50), fill);
        }
        canvas.Restore();
        using var border = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f, Color = Silhouette };
        canvas.DrawRoundRect(rounded, border);
    }

    /// <summary>
    /// Draws the QR right-aligned under the header on a white plate with a two-module margin (the pale card around it
    /// extends the quiet zone), in whole pixels per module so the edges stay sharp for scanners; returns the plate size.
    /// </summary>
    private static float DrawQr(SKCanvas canvas, string payload, SKPaint fill)
    {
        using var generator = new QRCodeGenerator();
        using var qr = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.L);
        var modules = qr.ModuleMatrix;
        const int matrixQuietZone = 4; // QRCoder's matrix carries the standard quiet zone; the plate draws a narrower one
        const int plateMargin = 2;
        var core = modules.Count - 2 * matrixQuietZone;
        var module = Math.Max(1, (int)(QrMaxSize / (core + 2 * plateMargin)));
        var size = (float)((core + 2 * plateMargin) * module);
        var left = QrRight - size;
        fill.Color = SKColors.White;
        canvas.DrawRect(left, QrTop, size, size, fill);
        fill.Color = SKColors.Black;
        fill.IsAntialias = false;
        var originX = left + plateMargin * module;
        var originY = QrTop + plateMargin * module;
        for (var row = 0; row < core; row++)
            for (var col = 0; col < core; col++)
                if (modules[row + matrixQuietZone][col + matrixQuietZone])
                    canvas.DrawRect(originX + col * module, originY + row * module, module, module, fill);
        fill.IsAntialias = true;
        return size;
    }
}
