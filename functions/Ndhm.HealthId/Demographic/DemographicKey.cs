using System.Globalization;
using System.Text;
using Ndhm.HealthId.Accounts;

namespace Ndhm.HealthId.Demographic;

/// <summary>
/// The demographic identity key hashed for deduplication (never stored in plaintext): first and last name (NFKC, lower
/// case, letters and combining marks only, so "Sita  Devi", "sita devi" and "Sita Devi." agree; the middle name is left
/// out because it is the part most often dropped), year of birth (camps often know only the year), gender and PIN
/// code (the locality: the same name and age in another district is most likely another person). Null when a part
/// is missing (an erased account, an account without a postal address): such accounts take no part in the match.
/// </summary>
public static class DemographicKey
{
    public static string? Of(PersonName? name, DateOfBirth? dob, Gender? gender, PostalAddress? address)
    {
        if (name is null || dob is null || gender is null || string.IsNullOrWhiteSpace(address?.PinCode)) return null;
        return string.Join('|', Letters(name.FirstName), Letters(name.LastName), dob.Year.ToString(CultureInfo.InvariantCulture),
            gender.Value.ToString(), address.PinCode.Trim());
    }

    private static string Letters(string? part)
    {
        if (string.IsNullOrEmpty(part)) return "";
        var builder = new StringBuilder(part.Length);
        foreach (var c in part.Normalize(NormalizationForm.FormKC).ToLowerInvariant())
        {
            if (char.IsLetter(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                builder.Append(c);
        }
        return builder.ToString();
    }
}
