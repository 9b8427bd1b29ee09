using System.Globalization;
using System.Text;
using Ndhm.Core.Errors;

namespace Ndhm.Core.Text;

/// <summary>
/// The one input policy for text a caller sends (names, addresses, reasons, emails...): Unicode NFC, no control
/// characters and no bidi controls (which make stored text read differently from what it is), and a length limit.
/// Zero-width joiners stay allowed: Indic scripts need them.
/// </summary>
public static class TextPolicy
{
    /// <summary>The limit of a text field that declares none (tokens and encrypted values fit; prose has its own).</summary>
    public const int DefaultMaxLength = 2000;

    /// <summary>The limit of an array that declares none.</summary>
    public const int DefaultMaxItems = 100;

    public static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>True for characters no id may hold: every format character (bidi, zero-width, BOM...).</summary>
    public static bool IsInvisibleFormat(char c) => char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    /// <summary>The NFC form of <paramref name="value"/>, or 400 <see cref="ErrorCodes.InvalidText"/> naming <paramref name="field"/>.</summary>
    public static string Normalize(string value, string field, int maxLength = DefaultMaxLength)
    {
        string normalized;
        try
        {
            normalized = value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // A lone surrogate: not text at all.
            throw Invalid(field, "It is not valid Unicode text.");
        }

        foreach (var c in normalized)
        {
            if (char.IsControl(c) || IsBidiControl(c))
            {
                throw Invalid(field, $"It contains the character U+{(int)c:X4}; control and bidi-control characters are not accepted.");
            }
        }

        if (normalized.Length > maxLength)
        {
            throw Invalid(field, $"At most {maxLength} characters are accepted.");
        }

        return normalized;
    }

    private static DomainException Invalid(string field, string detail) =>
        new(ErrorKind.Validation, ErrorCodes.InvalidText, $"{field} is not acceptable text.", detail,
            new Dictionary<string, object?> { ["field"] = field });
}
