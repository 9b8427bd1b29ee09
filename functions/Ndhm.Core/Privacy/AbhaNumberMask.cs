using System.Text;
using System.Text.RegularExpressions;

namespace Ndhm.Core.Privacy;

/// <summary>
/// ABHA numbers as logs may show them: every digit but the last four hidden (<c>XX-XXXX-XXXX-9012</c>), the way
/// the card and the Aadhaar and mobile numbers are masked. Anything written to a log that may hold one (a request
/// path, a message) goes through <see cref="MaskWithin"/>.
/// </summary>
public static partial class AbhaNumberMask
{
    /// <summary>Hides all but the last four digits of one ABHA number, keeping its separators.</summary>
    public static string Mask(string abhaNumber)
    {
        ArgumentNullException.ThrowIfNull(abhaNumber);
        var digitsSeen = abhaNumber.Count(char.IsAsciiDigit);
        var masked = new StringBuilder(abhaNumber.Length);
        var index = 0;
        foreach (var c in abhaNumber)
        {
            if (char.IsAsciiDigit(c))
            {
                masked.Append(index++ < digitsSeen - 4 ? 'X' : c);
            }
            else
            {
                masked.Append(c);
            }
        }

        return masked.ToString();
    }

    /// <summary>Masks every ABHA number (14 digits, hyphenated 2-4-4-4 or not) found in free text.</summary>
    public static string MaskWithin(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return AbhaNumberPattern().Replace(text, m => Mask(m.Value));
    }

    [GeneratedRegex(@"(?<!\d)\d{2}-?\d{4}-?\d{4}-?\d{4}(?!\d)")]
    private static partial Regex AbhaNumberPattern();
}
