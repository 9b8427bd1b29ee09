using System.Buffers;
using System.Text;

namespace Ndhm.Phr.Documents;

/// <summary>
/// Scans a document's whole content as it streams past (chunk by chunk, patterns found across chunk boundaries) for
/// what makes an allowed type dangerous: active markup or an archive hidden inside (polyglots: a PDF that is also an
/// HTML page, a JPEG carrying a ZIP), a PE stub, and in PDFs the names of actions that run code or open files
/// (<c>/JavaScript</c>, <c>/JS</c>, <c>/Launch</c>, embedded files, XFA, rich media), also when hex-escaped
/// (<c>/J#61vaScript</c>). PDF stream contents are skipped by the name scan (compressed data would match by chance;
/// the names that trigger actions live in dictionaries, outside streams). Refusals are <see cref="PhrErrors.DocumentRefused"/>.
/// <para>Not seen: names inside compressed object streams (<c>/ObjStm</c>): a limit of a byte-level scan, stated in the README.</para>
/// </summary>
public sealed class DocumentContentScanner(DocumentType type)
{
    private static readonly (string Pattern, string What)[] Embedded =
    [
        ("<script", "a script element"),
        ("<html", "an HTML page"),
        ("<iframe", "an HTML frame"),
        ("<svg", "an SVG image (scriptable)"),
        ("javascript:", "a javascript: URL"),
        ("This program cannot be run in DOS mode", "a Windows executable"),
        ("PK\u0003\u0004", "a ZIP archive"),
        ("PK\u0005\u0006", "a ZIP archive"),
    ];

    // One vectorised multi-pattern search (case-insensitive) over the bytes read as Latin-1 characters.
    private static readonly SearchValues<string> EmbeddedSearch =
        SearchValues.Create(Embedded.Select(e => e.Pattern).ToArray(), StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> PdfActions = new(StringComparer.Ordinal)
    {
        "JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA", "GoToE",
    };

    private static readonly int Overlap = Embedded.Max(e => e.Pattern.Length) - 1;
    private static readonly byte[] EndStreamKeyword = "endstream"u8.ToArray();

    private char[] window = new char[Overlap + 64 * 1024];
    private int tailLength;

    // The last bytes of stream data seen, so "endstream" split across two chunks is still found.
    private readonly byte[] streamCarry = new byte[8];
    private int streamCarryLength;

    // PDF name scan state.
    private bool inName;
    private readonly StringBuilder name = new();
    private int hexDigits;
    private int hexValue;
    private char firstHexDigit;
    private bool inStream;
    private readonly byte[] recent = new byte[10];
    private int recentCount;

    public void Inspect(ReadOnlySpan<byte> chunk)
    {
        if (chunk.IsEmpty) return;
        ScanEmbedded(chunk);
        if (type == DocumentType.Pdf) ScanPdf(chunk);
    }

    /// <summary>Call once the whole content was inspected (a name may end at the end of the file).</summary>
    public void Complete()
    {
        if (inName) EndName();
    }

    private void ScanEmbedded(ReadOnlySpan<byte> chunk)
    {
        var length = tailLength + chunk.Length;
        if (window.Length < length) Array.Resize(ref window, length);
        Encoding.Latin1.GetChars(chunk, window.AsSpan(tailLength));
        var text = window.AsSpan(0, length);
        var found = text.IndexOfAny(EmbeddedSearch);
        if (found >= 0)
        {
            var at = text.Slice(found, Math.Min(64, text.Length - found)).ToString();
            var what = Embedded.First(e => at.StartsWith(e.Pattern, StringComparison.OrdinalIgnoreCase)).What;
            throw PhrErrors.Refused($"The {type.Name} contains {what}: a file that is two things at once (a polyglot) is not accepted.");
        }

        tailLength = Math.Min(Overlap, length);
        text[(length - tailLength)..].CopyTo(window);
    }

    private void ScanPdf(ReadOnlySpan<byte> chunk)
    {
        Span<byte> joint = stackalloc byte[16];
        var i = 0;
        while (i < chunk.Length)
        {
            if (!inStream)
            {
                ScanPdfByte(chunk[i++]);
                continue;
            }

            // Stream data is skipped wholesale up to "endstream" (also when it straddles two chunks).
            var rest = chunk[i..];
            var end = -1;
            if (streamCarryLength > 0)
            {
                streamCarry.AsSpan(0, streamCarryLength).CopyTo(joint);
                var take = Math.Min(8, rest.Length);
                rest[..take].CopyTo(joint[streamCarryLength..]);
                var at = joint[..(streamCarryLength + take)].IndexOf(EndStreamKeyword);
                if (at >= 0) end = at + EndStreamKeyword.Length - streamCarryLength;
            }

            if (end < 0 && rest.IndexOf(EndStreamKeyword) is var inRest and >= 0) end = inRest + EndStreamKeyword.Length;
            if (end < 0)
            {
                Carry(rest);
                return;
            }

            inStream = false;
            streamCarryLength = 0;
            recentCount = 0;
            i += end;
        }
    }

    private void Carry(ReadOnlySpan<byte> rest)
    {
        if (rest.Length >= streamCarry.Length)
        {
            rest[^streamCarry.Length..].CopyTo(streamCarry);
            streamCarryLength = streamCarry.Length;
            return;
        }

        var keep = Math.Min(streamCarryLength, streamCarry.Length - rest.Length);
        streamCarry.AsSpan(streamCarryLength - keep, keep).CopyTo(streamCarry);
        rest.CopyTo(streamCarry.AsSpan(keep));
        streamCarryLength = keep + rest.Length;
    }

    private void ScanPdfByte(byte b)
    {
        Remember(b);
        if (inName)
        {
            if (IsDelimiter(b))
            {
                EndName();
                if (b == (byte)'/') StartName();
                return;
            }

            if (hexDigits > 0 || b == (byte)'#')
            {
                HexStep(b);
                return;
            }

            if (name.Length < 128) name.Append((char)b);
            return;
        }

        if (b == (byte)'/')
        {
            StartName();
            return;
        }

        // "stream" followed by an end of line opens stream data (but "endstream" does not).
        if (b == (byte)'\n' && (EndsWith("stream\n"u8) || EndsWith("stream\r\n"u8)) && !EndsWith("endstream\n"u8) && !EndsWith("endstream\r\n"u8))
        {
            inStream = true;
            streamCarryLength = 0;
        }
    }

    private void HexStep(byte b)
    {
        if (b == (byte)'#' && hexDigits == 0)
        {
            hexDigits = 1;
            hexValue = 0;
            return;
        }

        var digit = HexValue(b);
        if (digit < 0)
        {
            // Not an escape after all: keep the characters as they are.
            name.Append('#');
            if (hexDigits == 2) name.Append(firstHexDigit);
            hexDigits = 0;
            if (name.Length < 128) name.Append((char)b);
            return;
        }

        if (hexDigits == 1) firstHexDigit = (char)b;
        hexValue = (hexValue << 4) | digit;
        hexDigits++;
        if (hexDigits == 3)
        {
            name.Append((char)hexValue);
            hexDigits = 0;
        }
    }

    private void StartName()
    {
        inName = true;
        name.Clear();
        hexDigits = 0;
    }

    private void EndName()
    {
        inName = false;
        var value = name.ToString();
        if (PdfActions.Contains(value))
            throw PhrErrors.Refused($"The PDF declares /{value}: PDFs that run scripts, launch programs or carry embedded files are not accepted.");
    }

    private void Remember(byte b)
    {
        if (recentCount < recent.Length)
        {
            recent[recentCount++] = b;
            return;
        }

        Array.Copy(recent, 1, recent, 0, recent.Length - 1);
        recent[^1] = b;
    }

    private bool EndsWith(ReadOnlySpan<byte> suffix) => recent.AsSpan(0, recentCount).EndsWith(suffix);

    private static bool IsDelimiter(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32 or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>'
        or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

}
