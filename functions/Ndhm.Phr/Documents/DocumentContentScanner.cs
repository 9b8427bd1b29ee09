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
    private static readonly (byte[] Pattern, string What)[] Embedded =
    [
        (Lower("<script"), "a script element"),
        (Lower("<html"), "an HTML page"),
        (Lower("<iframe"), "an HTML frame"),
        (Lower("<svg"), "an SVG image (scriptable)"),
        (Lower("javascript:"), "a javascript: URL"),
        (Lower("This program cannot be run in DOS mode"), "a Windows executable"),
        (Lower("PK\u0003\u0004"), "a ZIP archive"),
        (Lower("PK\u0005\u0006"), "a ZIP archive"),
    ];

    private static readonly HashSet<string> PdfActions = new(StringComparer.Ordinal)
    {
        "JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia", "XFA", "GoToE",
    };

    private static readonly int Overlap = Embedded.Max(e => e.Pattern.Length) - 1;
    private static readonly byte[] EndStreamKeyword = "endstream"u8.ToArray();

    private byte[] tail = [];

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
        if (type == DocumentType.Pdf)
        {
            foreach (var b in chunk) ScanPdfByte(b);
        }
    }

    /// <summary>Call once the whole content was inspected (a name may end at the end of the file).</summary>
    public void Complete()
    {
        if (inName) EndName();
    }

    private void ScanEmbedded(ReadOnlySpan<byte> chunk)
    {
        var window = new byte[tail.Length + chunk.Length];
        tail.CopyTo(window, 0);
        chunk.CopyTo(window.AsSpan(tail.Length));
        for (var i = 0; i < window.Length; i++)
        {
            if (window[i] is >= (byte)'A' and <= (byte)'Z') window[i] = (byte)(window[i] + 32);
        }

        foreach (var (pattern, what) in Embedded)
        {
            if (window.AsSpan().IndexOf(pattern) >= 0)
                throw PhrErrors.Refused($"The {type.Name} contains {what}: a file that is two things at once (a polyglot) is not accepted.");
        }

        tail = window.AsSpan(Math.Max(0, window.Length - Overlap)).ToArray();
    }

    private void ScanPdfByte(byte b)
    {
        Remember(b);
        if (inStream)
        {
            if (EndsWith(EndStreamKeyword)) inStream = false;
            return;
        }

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
            inStream = true;
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

    private static byte[] Lower(string value) => Encoding.Latin1.GetBytes(value.ToLowerInvariant());
}
