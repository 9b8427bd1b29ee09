using System.Text.RegularExpressions;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Registry.Professionals;

public sealed record ProfessionalInput(
    string? Name,
    string? Category,
    string? Council,
    string? RegistrationNumber,
    IReadOnlyList<string>? Qualifications,
    IReadOnlyList<string>? Specialties,
    IReadOnlyList<string>? Languages,
    IReadOnlyList<string>? FacilityIds,
    ProfessionalPersonalInput? Personal = null);

public sealed record ProfessionalDetails(
    string Name,
    ProfessionalCategory Category,
    string Council,
    string RegistrationNumber,
    IReadOnlyList<string> Qualifications,
    IReadOnlyList<string> Specialties,
    IReadOnlyList<string> Languages,
    IReadOnlyList<FacilityId> FacilityIds,
    ProfessionalPersonal? Personal = null);

public static partial class ProfessionalValidation
{
    public const int MaxListEntries = 20;

    public const string InvalidName = "INVALID_PROFESSIONAL_NAME";
    public const string InvalidCategory = "INVALID_CATEGORY";
    public const string InvalidCouncilRegistration = "INVALID_COUNCIL_REGISTRATION";
    public const string InvalidQualifications = "INVALID_QUALIFICATIONS";
    public const string InvalidSpecialties = "INVALID_SPECIALTIES";
    public const string InvalidLanguages = "INVALID_LANGUAGES";
    public const string InvalidFacilities = "INVALID_FACILITY_ID";
    public const string InvalidPersonalDetails = "INVALID_PERSONAL_DETAILS";

    public static ProfessionalDetails Validate(ProfessionalInput input)
    {
        var name = Text.Clean(input.Name);
        if (name is null || name.Length > 100 || !name.Any(char.IsLetter))
        {
            throw Invalid(InvalidName, "name is required (at most 100 characters).");
        }

        if (input.Category is null || !input.Category.All(char.IsLetter)
            || !Enum.TryParse<ProfessionalCategory>(input.Category, ignoreCase: true, out var category))
        {
            throw Invalid(InvalidCategory, "category must be doctor, nurse or pharmacist.");
        }

        var council = Text.Clean(input.Council);
        var number = Text.Clean(input.RegistrationNumber)?.ToUpperInvariant();
        if (council is null || council.Length > 120 || number is null || !RegistrationPattern().IsMatch(number))
        {
            throw Invalid(InvalidCouncilRegistration,
                "council (at most 120 characters) and registrationNumber (1 to 30 letters, digits, '/', '-', '.') are required.");
        }

        var qualifications = List(input.Qualifications, InvalidQualifications, "qualifications", required: true);
        var specialties = List(input.Specialties, InvalidSpecialties, "specialties", required: category == ProfessionalCategory.Doctor);
        var languages = List(input.Languages, InvalidLanguages, "languages", required: true);
        var facilities = new List<FacilityId>();
        foreach (var text in input.FacilityIds ?? [])
        {
            var id = FacilityId.TryParse(text, out var parsed)
                ? parsed
                : throw Invalid(InvalidFacilities, "facilityIds must be HFR facility ids such as IN2810014366.");
            if (!facilities.Contains(id))
            {
                facilities.Add(id);
            }
        }

        if (facilities.Count > MaxListEntries)
        {
            throw Invalid(InvalidFacilities, $"At most {MaxListEntries} facilityIds.");
        }

        return new ProfessionalDetails(name, category, council, number, qualifications, specialties, languages, facilities, Personal(input.Personal));
    }

    /// <summary>Null when nothing personal is given (the whole object, or each of its fields, may be left out).</summary>
    private static ProfessionalPersonal? Personal(ProfessionalPersonalInput? input)
    {
        var mobile = Text.Clean(input?.Mobile);
        var email = Text.Clean(input?.Email);
        var birth = Text.Clean(input?.DateOfBirth);
        if (mobile is null && email is null && birth is null)
        {
            return null;
        }

        if (mobile is not null && !MobilePattern().IsMatch(mobile))
        {
            throw Invalid(InvalidPersonalDetails, "personal.mobile must be a 10-digit Indian mobile number.");
        }

        if (email is not null && (email.Length > 254 || !EmailPattern().IsMatch(email)))
        {
            throw Invalid(InvalidPersonalDetails, "personal.email is not an email address.");
        }

        DateOnly? dateOfBirth = null;
        if (birth is not null)
        {
            dateOfBirth = DateOnly.TryParseExact(birth, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var parsed) && parsed.Year >= 1900 && parsed < DateOnly.FromDateTime(DateTime.UtcNow)
                ? parsed
                : throw Invalid(InvalidPersonalDetails, "personal.dateOfBirth must be a past date (yyyy-MM-dd).");
        }

        return new ProfessionalPersonal(mobile, email, dateOfBirth);
    }

    private static List<string> List(IReadOnlyList<string>? values, string code, string field, bool required)
    {
        var cleaned = new List<string>();
        foreach (var value in values ?? [])
        {
            var text = Text.Clean(value);
            if (text is null || text.Length > 100)
            {
                throw Invalid(code, $"{field} entries must be non-blank, at most 100 characters.");
            }

            if (!cleaned.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                cleaned.Add(text);
            }
        }

        if ((required && cleaned.Count == 0) || cleaned.Count > MaxListEntries)
        {
            throw Invalid(code, $"{field} needs {(required ? "1" : "0")} to {MaxListEntries} entries.");
        }

        return cleaned;
    }

    private static Ndhm.Core.Errors.DomainException Invalid(string code, string detail) =>
        RegistryErrors.Invalid(code, "The professional is not valid.", detail);

    [GeneratedRegex("^[6-9][0-9]{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex("^[A-Z0-9][A-Z0-9/.\\-]{0,29}$")]
    private static partial Regex RegistrationPattern();
}
