using System.Text.RegularExpressions;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;

namespace Ndhm.Registry.Facilities;

/// <summary>Unvalidated input for registering or updating a facility, as the HTTP body carries it.</summary>
public sealed record FacilityInput(
    string? FacilityName,
    string? FacilityType,
    string? Ownership,
    IReadOnlyList<string>? SystemsOfMedicine,
    FacilityAddressInput? Address,
    GeoLocationInput? GeoLocation,
    FacilityContactInput? Contact);

public sealed record FacilityAddressInput(
    string? AddressLine,
    string? City,
    string? District,
    string? StateCode,
    string? State,
    string? Pincode);

public sealed record GeoLocationInput(double? Latitude, double? Longitude);

public sealed record FacilityContactInput(string? Phone, string? Email, string? Website);

/// <summary>
/// Turns <see cref="FacilityInput"/> into <see cref="FacilityDetails"/> or a DomainException whose code names the
/// field's problem (one error at a time, the first found, so the code is stable).
/// </summary>
public static partial class FacilityValidation
{
    public const int MaxNameLength = 200;

    public const string InvalidName = "INVALID_FACILITY_NAME";
    public const string InvalidType = "INVALID_FACILITY_TYPE";
    public const string InvalidOwnership = "INVALID_OWNERSHIP";
    public const string InvalidSystemOfMedicine = "INVALID_SYSTEM_OF_MEDICINE";
    public const string InvalidAddress = "INVALID_ADDRESS";
    public const string InvalidPincode = "INVALID_PINCODE";
    public const string PincodeStateMismatch = "PINCODE_STATE_MISMATCH";
    public const string InvalidGeoLocation = "INVALID_GEO_LOCATION";
    public const string InvalidContact = "INVALID_CONTACT";

    public static FacilityDetails Validate(FacilityInput input)
    {
        var name = Text.Clean(input.FacilityName);
        if (name is null || name.Length > MaxNameLength)
        {
            throw Invalid(InvalidName, $"facilityName is required (at most {MaxNameLength} characters).");
        }

        if (!Classification.TryType(input.FacilityType, out var type))
        {
            throw Invalid(InvalidType, $"facilityType must be one of {string.Join(", ", Classification.Names<FacilityType>())}.");
        }

        if (!Classification.TryOwnership(input.Ownership, out var ownership))
        {
            throw Invalid(InvalidOwnership, $"ownership must be one of {string.Join(", ", Classification.Names<FacilityOwnership>())}.");
        }

        var systems = new List<SystemOfMedicine>();
        foreach (var text in input.SystemsOfMedicine ?? [])
        {
            if (!Classification.TrySystem(text, out var system))
            {
                throw Invalid(InvalidSystemOfMedicine,
                    $"systemsOfMedicine entries must be among {string.Join(", ", Classification.Names<SystemOfMedicine>())}.");
            }

            if (!systems.Contains(system))
            {
                systems.Add(system);
            }
        }

        if (systems.Count == 0)
        {
            throw Invalid(InvalidSystemOfMedicine, "systemsOfMedicine needs at least one entry.");
        }

        var address = Address(input.Address);
        var location = GeoPoint.Create(input.GeoLocation?.Latitude, input.GeoLocation?.Longitude, InvalidGeoLocation);
        return new FacilityDetails(name, type, ownership, systems, address, location, Contact(input.Contact));
    }

    private static FacilityAddress Address(FacilityAddressInput? input)
    {
        if (input is null)
        {
            throw Invalid(InvalidAddress, "address is required.");
        }

        var line = Text.Clean(input.AddressLine);
        var district = Text.Clean(input.District);
        if (line is null || line.Length > 300 || district is null || district.Length > 100)
        {
            throw Invalid(InvalidAddress, "address.addressLine (at most 300 characters) and address.district (at most 100) are required.");
        }

        IndianState state;
        if (input.StateCode is not null)
        {
            if (!IndianStates.TryFindByCode(input.StateCode, out state))
            {
                throw new DomainException(ErrorKind.Validation, RegistryErrors.UnknownStateCode, "The state code is not known.",
                    "address.stateCode must be a two-digit LGD state code, e.g. 28 for Andhra Pradesh.");
            }

            if (input.State is not null && IndianStates.TryFindByName(input.State, out var named) && named != state)
            {
                throw Invalid(InvalidAddress, "address.state and address.stateCode name different states.");
            }
        }
        else if (!IndianStates.TryFindByName(input.State, out state))
        {
            throw new DomainException(ErrorKind.Validation, RegistryErrors.UnknownStateCode, "The state is not known.",
                "Give address.stateCode (two-digit LGD code) or address.state (the state's or union territory's name).");
        }

        if (input.Pincode is null || !PincodePattern().IsMatch(input.Pincode))
        {
            throw Invalid(InvalidPincode, "address.pincode must be six digits, not starting with 0.");
        }

        if (!PostalCircles.Serves(state.Code, input.Pincode))
        {
            throw Invalid(PincodeStateMismatch,
                $"address.pincode {input.Pincode} is not a PIN code of {state.Name} (state code {state.Code}), whose PIN codes start with " +
                $"{string.Join(", ", PostalCircles.PrefixesOf(state.Code))}.");
        }

        var city = Text.Clean(input.City);
        if (city is { Length: > 100 })
        {
            throw Invalid(InvalidAddress, "address.city is at most 100 characters.");
        }

        return new FacilityAddress(line, city, district, state.Code, state.Name, input.Pincode);
    }

    private static FacilityContact Contact(FacilityContactInput? input)
    {
        var phone = Text.Clean(input?.Phone);
        var email = Text.Clean(input?.Email);
        var website = Text.Clean(input?.Website);
        if (phone is null && email is null)
        {
            throw Invalid(InvalidContact, "contact.phone or contact.email is required.");
        }

        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            throw Invalid(InvalidContact, "contact.phone must be 6 to 15 digits, optionally with a leading + and spaces or dashes.");
        }

        if (email is not null && (email.Length > 254 || !EmailPattern().IsMatch(email)))
        {
            throw Invalid(InvalidContact, "contact.email is not an email address.");
        }

        if (website is not null && (!Uri.TryCreate(website, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
        {
            throw Invalid(InvalidContact, "contact.website must be an absolute http(s) URL.");
        }

        return new FacilityContact(phone, email, website);
    }

    private static DomainException Invalid(string code, string detail) =>
        RegistryErrors.Invalid(code, "The facility is not valid.", detail);

    [GeneratedRegex("^[1-9][0-9]{5}$")]
    internal static partial Regex PincodePattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,18}[0-9]$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
