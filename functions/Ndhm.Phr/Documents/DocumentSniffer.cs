using System.Text;

namespace Ndhm.Phr.Documents;

/// <summary>What the first bytes of a document say it is.</summary>
/// <param name="Type">An allowed type, or null.</param>
/// <param name="Refusal">Why the content is refused as potentially harmful (an executable, a script, active markup), or null.</param>
/// <param name="Description">What the content looks like, for the problem's detail.</param>
public sealed record SniffResult(DocumentType? Type, string? Refusal, string Description);

/// <summary>
/// Type sniffing by magic bytes (what the content is, whatever its name or Content-Type claims). PDF, JPEG and PNG are
/// recognised only at offset 0; executables (PE, ELF, Mach-O), scripts (<c>#!</c>), archives and active markup
/// (HTML, SVG, XML) are refused by name; anything else is simply not an allowed type.
/// </summary>
public static class DocumentSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> looks at (markup may follow whitespace or a byte-order mark).</summary>
    public const int HeaderBytes = 1024;

    private static readonly byte[] PdfMagic = "%PDF-"u8.ToArray();
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];

    private static readonly (byte[] Magic, string What)[] Executables =
    [
        ("MZ"u8.ToArray(), "a Windows executable (PE)"),
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
        ([0xFE, 0xED, 0xFA, 0xCE], "a Mach-O executable"),
        ([0xFE, 0xED, 0xFA, 0xCF], "a Mach-O executable"),
        ([0xCE, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        ([0xCF, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        ([0xCA, 0xFE, 0xBA, 0xBE], "a Mach-O universal binary or Java class"),
        ("#!"u8.ToArray(), "a script (#!)"),
        ("PK\u0003\u0004"u8.ToArray(), "an archive (ZIP, JAR, Office document)"),
        ([0x1F, 0x8B], "a gzip archive"),
        ("Rar!"u8.ToArray(), "a RAR archive"),
        ([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive"),
        ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "an OLE compound document (legacy Office, MSI)"),
    ];

    private static readonly string[] Markup = ["<!doctype html", "<html", "<script", "<svg", "<?xml", "<head", "<body", "<iframe", "<object", "<embed"];

    public static SniffResult Sniff(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith(PdfMagic)) return new SniffResult(DocumentType.Pdf, null, "a PDF document");
        if (header.StartsWith(PngMagic)) return new SniffResult(DocumentType.Png, null, "a PNG image");
        if (header.StartsWith(JpegMagic)) return new SniffResult(DocumentType.Jpeg, null, "a JPEG image");
        foreach (var (magic, what) in Executables)
        {
            if (header.StartsWith(magic)) return new SniffResult(null, $"The content is {what}.", what);
        }

        var text = LeadingText(header);
        foreach (var tag in Markup)
        {
            if (text.StartsWith(tag, StringComparison.Ordinal))
                return new SniffResult(null, $"The content is active markup ({tag}...).", "markup (HTML, SVG or XML)");
        }

        return new SniffResult(null, null, "not a PDF, JPEG or PNG");
    }

    // Browsers sniff markup after a byte-order mark and whitespace: so does the refusal.
    private static string LeadingText(ReadOnlySpan<byte> header)
    {
        var span = header[..Math.Min(header.Length, HeaderBytes)];
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var start = 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f') start++;
        var length = Math.Min(span.Length - start, 32);
        return Encoding.Latin1.GetString(span.Slice(start, length)).ToLowerInvariant();
    }
}
