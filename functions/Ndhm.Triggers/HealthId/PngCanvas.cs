using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Ndhm.Triggers.HealthId;

/// <summary>
/// A tiny dependency-free 8-bit greyscale canvas that encodes itself as PNG (IHDR, one zlib IDAT, IEND), with a
/// built-in 5x7 bitmap font for upper-case Latin letters, digits and the punctuation ABHA numbers and addresses use.
/// Enough for an ABHA card without pulling a graphics library (and its native binaries) into the function app.
/// </summary>
public sealed class PngCanvas
{
    private readonly byte[] pixels;

    public PngCanvas(int width, int height, byte background = 255)
    {
        Width = width;
        Height = height;
        pixels = new byte[width * height];
        Array.Fill(pixels, background);
    }

    public int Width { get; }
    public int Height { get; }

    public void Fill(int x, int y, int w, int h, byte shade)
    {
        for (var row = Math.Max(0, y); row < Math.Min(Height, y + h); row++)
            for (var col = Math.Max(0, x); col < Math.Min(Width, x + w); col++)
                pixels[row * Width + col] = shade;
    }

    /// <summary>Draws <paramref name="text"/> (lower case shown as upper case) at <paramref name="scale"/> x 5x7 pixels per glyph.</summary>
    public int DrawText(int x, int y, string text, int scale, byte shade)
    {
        foreach (var c in text.ToUpperInvariant())
        {
            var glyph = Font.TryGetValue(c, out var g) ? g : Font['?'];
            for (var row = 0; row < 7; row++)
                for (var col = 0; col < 5; col++)
                    if ((glyph[row] & (1 << (4 - col))) != 0)
                        Fill(x + col * scale, y + row * scale, scale, scale, shade);
            x += 6 * scale;
        }

        return x;
    }

    public static int TextWidth(string text, int scale) => text.Length * 6 * scale;

    public byte[] ToPng()
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 0; // greyscale
        WriteChunk(output, "IHDR", header);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (var row = 0; row < Height; row++)
                {
                    z.WriteByte(0); // filter: none
                    z.Write(pixels, row * Width, Width);
                }
            }

            WriteChunk(output, "IDAT", raw.ToArray());
        }

        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32(typeBytes, data);
        BinaryPrimitives.WriteUInt32BigEndian(length, crc);
        output.Write(length);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(byte[] type, byte[] data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in type) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static readonly Dictionary<char, byte[]> Font = new()
    {
        ['0'] = [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E], ['1'] = [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        ['2'] = [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F], ['3'] = [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        ['4'] = [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02], ['5'] = [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        ['6'] = [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E], ['7'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        ['8'] = [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E], ['9'] = [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ['A'] = [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11], ['B'] = [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        ['C'] = [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E], ['D'] = [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        ['E'] = [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F], ['F'] = [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        ['G'] = [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F], ['H'] = [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        ['I'] = [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E], ['J'] = [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        ['K'] = [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11], ['L'] = [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        ['M'] = [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11], ['N'] = [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        ['O'] = [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E], ['P'] = [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        ['Q'] = [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D], ['R'] = [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        ['S'] = [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E], ['T'] = [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        ['U'] = [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E], ['V'] = [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        ['W'] = [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A], ['X'] = [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        ['Y'] = [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04], ['Z'] = [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        ['-'] = [0, 0, 0, 0x1F, 0, 0, 0], ['.'] = [0, 0, 0, 0, 0, 0x0C, 0x0C], ['_'] = [0, 0, 0, 0, 0, 0, 0x1F],
        [':'] = [0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0], ['@'] = [0x0E, 0x11, 0x17, 0x15, 0x17, 0x10, 0x0F],
        ['/'] = [0, 0x01, 0x02, 0x04, 0x08, 0x10, 0], [' '] = [0, 0, 0, 0, 0, 0, 0],
        ['\''] = [0x04, 0x04, 0, 0, 0, 0, 0], ['?'] = [0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04],
    };
}
