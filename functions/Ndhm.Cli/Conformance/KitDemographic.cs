using System.Globalization;
using Ndhm.Cli.Story;

namespace Ndhm.Cli.Conformance;

/// <summary>
/// The kit patient's details as a HIP's staff would type them from her ID for demographic auth (ABDM's
/// <c>credential.demographic</c>: name, gender, date of birth <c>yyyy-MM-dd</c>, or only the year when that is all her
/// ABHA profile has).
/// </summary>
public sealed record KitDemographic(string Name, string Gender, string DateOfBirth)
{
    /// <summary>Her details as KYC gave them at enrolment.</summary>
    public static KitDemographic Of(EnrolledPatient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return new KitDemographic(patient.Name, patient.Gender, AbdmDateOfBirth(patient.DateOfBirth, patient.YearOfBirth));
    }

    /// <summary>
    /// The ABHA profile's <c>dd-MM-yyyy</c> as ABDM's confirm writes it, <c>yyyy-MM-dd</c>; a profile date without the
    /// day (<c>MM-yyyy</c>) or unreadable gives the year alone, which the platform compares on its own.
    /// </summary>
    public static string AbdmDateOfBirth(string profileDob, int yearOfBirth)
    {
        var year = yearOfBirth.ToString("D4", CultureInfo.InvariantCulture);
        var parts = (profileDob ?? "").Trim().Split('-');
        return parts is [{ Length: 2 } day, { Length: 2 } month, var y] && y == year && int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                                                                         && int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? $"{year}-{month}-{day}"
            : year;
    }

    /// <summary>The same details with the year of birth mistyped (one year later), which no ABHA of hers matches.</summary>
    public KitDemographic WithYearMistyped()
    {
        var year = int.Parse(DateOfBirth[..4], CultureInfo.InvariantCulture) + 1;
        return this with { DateOfBirth = year.ToString("D4", CultureInfo.InvariantCulture) + DateOfBirth[4..] };
    }

    /// <summary>As the kit tells a console operator to enter it.</summary>
    public override string ToString() => $"name \"{Name}\", gender {Gender}, dateOfBirth {DateOfBirth}";
}
