using SkiaSharp;
using ZXing;
using ZXing.Common;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>Reads a rendered card back: its pixels, its QR code (ZXing, as a phone's scanner would).</summary>
internal static class CardImages
{
    public static SKBitmap Decode(byte[] png) => SKBitmap.Decode(png) ?? throw new InvalidOperationException("Not an image.");

    /// <summary>The text of the QR code in the image, or null when none is found.</summary>
    public static string? ReadQr(SKBitmap bitmap)
    {
        var luminance = new byte[bitmap.Width * bitmap.Height];
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                luminance[y * bitmap.Width + x] = (byte)((c.Red * 299 + c.Green * 587 + c.Blue * 114) / 1000);
            }
        var source = new RGBLuminanceSource(luminance, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        // Rotating as a phone would: ZXing's detector misses about one valid code in a hundred at one orientation
        // (codes that zbar reads), and finds it turned by 90 degrees.
        var reader = new BarcodeReaderGeneric
        {
            AutoRotate = true,
            Options = new DecodingOptions { TryHarder = true, PossibleFormats = [BarcodeFormat.QR_CODE] },
        };
        return reader.Decode(source)?.Text;
    }

    /// <summary>Pixels whose channels differ clearly (not grey): a colour card has many.</summary>
    public static int ColouredPixels(SKBitmap bitmap)
    {
        var count = 0;
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (Math.Max(c.Red, Math.Max(c.Green, c.Blue)) - Math.Min(c.Red, Math.Min(c.Green, c.Blue)) > 60) count++;
            }
        return count;
    }
}
