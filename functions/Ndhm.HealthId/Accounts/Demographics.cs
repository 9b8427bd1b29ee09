using System.Globalization;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Accounts;

/// <summary>ABDM's gender codes: male, female, other, undisclosed.</summary>
public enum Gender
{
    [JsonStringEnumMemberName("M")] M,
    [JsonStringEnumMemberName("F")] F,
    [JsonStringEnumMemberName("O")] O,
    [JsonStringEnumMemberName("U")] U,
}

public static class GenderCodes
{
    /// <summary>Parses <c>M</c>, <c>F</c>, <c>O</c> or <c>U</c> (any case); GENDER_INVALID otherwise.</summary>
    public static Gender Parse(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        "M" => Gender.M,
        "F" => Gender.F,
        "O" => Gender.O,
        "U" => Gender.U,
        _ => throw HealthIdErrors.Invalid(HealthIdErrors.GenderInvalid, "Gender is not valid",
            "Gender is one of M (male), F (female), O (other) or U (undisclosed)."),
    };
}

/// <summary>
/// A date of birth as people know it: the year always, month and day when known (many older people know only
/// the year). Build with <see cref="Create"/>, which checks it.
/// </summary>
public sealed record DateOfBirth(int Year, int? Month = null, int? Day = null)
{
    public const int EarliestYear = 1900;

    public static DateOfBirth Create(int year, int? month, int? day, DateOnly today)
    {
        if (year < EarliestYear || year > today.Year)
            throw Invalid($"The year of birth must be between {EarliestYear} and {today.Year}.");
        if (month is not null && month is < 1 or > 12)
            throw Invalid("The month of birth must be between 1 and 12.");
        if (day is not null && month is null)
            throw Invalid("A day of birth needs a month of birth.");
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value)))
            throw Invalid($"{year}-{month:D2} has no day {day}.");
        var dob = new DateOfBirth(year, month, day);
        if (dob.Earliest > today)
            throw Invalid("The date of birth is in the future.");
        return dob;
    }

    /// <summary>The earliest day the birth could have been on.</summary>
    [JsonIgnore]
    public DateOnly Earliest => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>ABDM's <c>dob</c> text: <c>dd-MM-yyyy</c>, or only the known parts (<c>MM-yyyy</c>, <c>yyyy</c>).</summary>
    public string ToAbdmString() => (Month, Day) switch
    {
        (null, _) => Year.ToString("D4", CultureInfo.InvariantCulture),
        (_, null) => $"{Month:D2}-{Year:D4}",
        _ => $"{Day:D2}-{Month:D2}-{Year:D4}",
    };

    private static DomainException Invalid(string detail) =>
        HealthIdErrors.Invalid(HealthIdErrors.DobInvalid, "Date of birth is not valid", detail);
}

/// <summary>A person's name in ABDM's three parts; only the first is required.</summary>
public sealed record PersonName(string FirstName, string? MiddleName = null, string? LastName = null)
{
    public const int MaxPartLength = 100;

    /// <summary>Trims each part, turns blank optional parts into null, and checks the characters (NAME_INVALID).</summary>
    public static PersonName Create(string? firstName, string? middleName = null, string? lastName = null) =>
        new(Part(firstName, "first name", required: true)!, Part(middleName, "middle name", false), Part(lastName, "last name", false));

    /// <summary>The parts joined by single spaces.</summary>
    [JsonIgnore]
    public string FullName => string.Join(' ', new[] { FirstName, MiddleName, LastName }.Where(p => !string.IsNullOrEmpty(p)));

    private static string? Part(string? value, string what, bool required)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            return required
                ? throw HealthIdErrors.Invalid(HealthIdErrors.NameInvalid, "Name is not valid", $"The {what} is required.")
                : null;
        }
        if (v.Length > MaxPartLength)
            throw HealthIdErrors.Invalid(HealthIdErrors.NameInvalid, "Name is not valid", $"The {what} may have at most {MaxPartLength} characters.");
        // Letters of any script (Indian names are often written in their own), with the usual joiners.
        foreach (var c in v)
        {
            if (!char.IsLetter(c) && c is not ' ' and not '.' and not '\'' and not '-'
                && CharUnicodeInfo.GetUnicodeCategory(c) is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
                throw HealthIdErrors.Invalid(HealthIdErrors.NameInvalid, "Name is not valid",
                    $"The {what} may contain letters, spaces, '.', ''' and '-' only.");
        }
        return v;
    }
}

/// <summary>A postal address (ABDM: <c>address</c>, <c>districtName</c>, <c>stateName</c>, <c>pinCode</c>).</summary>
public sealed record PostalAddress(string? Line, string? District, string? State, string PinCode)
{
    public const int MaxLineLength = 250;
    /// <summary>The longest Indian district or state name is under 50 characters.</summary>
    public const int MaxRegionLength = 100;

    public static PostalAddress Create(string? line, string? district, string? state, string? pinCode)
    {
        var pin = pinCode?.Trim() ?? "";
        if (pin.Length != 6 || pin[0] == '0' || pin.AsSpan().ContainsAnyExceptInRange('0', '9'))
            throw HealthIdErrors.Invalid(HealthIdErrors.PincodeInvalid, "PIN code is not valid",
                "An Indian PIN code has 6 digits and does not start with 0.");
        if (line is not null && line.Trim().Length > MaxLineLength)
            throw HealthIdErrors.Invalid(HealthIdErrors.PostalAddressInvalid, "Address is not valid",
                $"The address line may have at most {MaxLineLength} characters.");
        if (district?.Trim().Length > MaxRegionLength || state?.Trim().Length > MaxRegionLength)
            throw HealthIdErrors.Invalid(HealthIdErrors.PostalAddressInvalid, "Address is not valid",
                $"The district and the state may have at most {MaxRegionLength} characters each.");
        return new PostalAddress(Blank(line), Blank(district), Blank(state), pin);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public static class EmailAddress
{
    /// <summary>
    /// A pragmatic check (one @, a dotted domain, no spaces, at most 254 characters), lower-casing the domain.
    /// The real check is the email OTP; this only catches typos early. EMAIL_INVALID otherwise.
    /// </summary>
    public static string Normalise(string email)
    {
        var e = email.Trim();
        var at = e.LastIndexOf('@');
        if (e.Length > 254 || at <= 0 || at == e.Length - 1 || e.IndexOf('@') != at || e.Any(char.IsWhiteSpace)
            || !e[(at + 1)..].Contains('.') || e.EndsWith('.'))
            throw HealthIdErrors.Invalid(HealthIdErrors.EmailInvalid, "Email address is not valid",
                "An email address looks like name@example.com.");
        return e[..at] + "@" + e[(at + 1)..].ToLowerInvariant();
    }
}
