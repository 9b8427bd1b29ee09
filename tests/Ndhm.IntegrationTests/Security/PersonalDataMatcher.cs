using System.Text;

namespace Ndhm.IntegrationTests.Security;

/// <summary>One person's personal data as it must never appear in a log line.</summary>
public sealed record PersonalData(
    string FirstName, string LastName, string Mobile, string Aadhaar, string AddressLine, DateOnly BirthDate, string AbhaNumber);

/// <summary>
/// Finds a person's data in a log line: the name (either part, any case), the mobile or Aadhaar number, the address
/// line, the birth date (ISO, Indian or compact order), or the ABHA number with more than its last four digits
/// visible. Numbers are compared with spaces, hyphens, slashes and dots removed, so "91-1234-5678-9012",
/// "91 1234 5678 9012" and "91123456789012" are all the same number, while "XX-XXXX-XXXX-9012" is masked.
/// </summary>
public sealed class PersonalDataMatcher(PersonalData person)
{
    /// <summary>Digits of a number that, seen together, reveal more than a masked form would.</summary>
    private const int RevealingRun = 8;

    private readonly string[] birthDates =
    [
        person.BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
        person.BirthDate.ToString("ddMMyyyy", System.Globalization.CultureInfo.InvariantCulture),
    ];

    public IReadOnlyList<string> Find(string line)
    {
        var found = new List<string>();
        if (Contains(line, person.FirstName)) found.Add("first name");
        if (Contains(line, person.LastName)) found.Add("last name");
        if (Contains(line, person.AddressLine)) found.Add("address");

        var compact = Compact(line);
        if (compact.Contains(Compact(person.Mobile), StringComparison.Ordinal)) found.Add("mobile");
        if (RevealsDigitsOf(compact, Compact(person.Aadhaar))) found.Add("Aadhaar number");
        if (birthDates.Any(d => compact.Contains(d, StringComparison.Ordinal))) found.Add("birth date");
        if (RevealsDigitsOf(compact, Compact(person.AbhaNumber))) found.Add("unmasked ABHA number");
        return found;
    }

    /// <summary>Any run of <see cref="RevealingRun"/> consecutive digits of the number: a masked form shows at most four.</summary>
    private static bool RevealsDigitsOf(string compactLine, string number)
    {
        for (var start = 0; start + RevealingRun <= number.Length; start++)
        {
            if (compactLine.Contains(number.AsSpan(start, RevealingRun), StringComparison.Ordinal)) return true;
        }

        return false;
    }

    private static bool Contains(string line, string value) => value.Length > 0 && line.Contains(value, StringComparison.OrdinalIgnoreCase);

    private static string Compact(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is not (' ' or '-' or '/' or '.')) builder.Append(c);
        }

        return builder.ToString();
    }
}
