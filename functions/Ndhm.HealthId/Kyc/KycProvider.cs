using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;

namespace Ndhm.HealthId.Kyc;

/// <summary>What an Aadhaar e-KYC answers with after a successful Aadhaar OTP: the demographics the ABHA takes.</summary>
public sealed record KycRecord(PersonName Name, Gender Gender, DateOfBirth DateOfBirth, PostalAddress Address, MobileNumber Mobile)
{
    /// <summary>The name in the person's language (UIDAI's local-language data), when the provider has it.</summary>
    public LocalName? LocalName { get; init; }

    /// <summary>The photograph (JPEG), when the provider releases one.</summary>
    public byte[]? Photo { get; init; }
}

/// <summary>
/// Port: the e-KYC provider (UIDAI through ABDM in production, <see cref="SimulatedKycProvider"/> in the
/// sandbox). Returns null for an Aadhaar number it does not know.
/// </summary>
public interface IKycProvider
{
    Task<KycRecord?> FindAsync(AadhaarNumber aadhaar, CancellationToken ct);
}

/// <summary>
/// One documented test identity of the simulated KYC provider. Flat strings so the sandbox can add identities
/// through configuration (<c>HealthId:Kyc:Identities:0:AadhaarNumber</c> and so on, bound with the usual binder).
/// </summary>
public sealed record KycTestIdentity
{
    /// <summary>12 digits with a valid Verhoeff check digit, not starting with 0 or 1.</summary>
    public required string AadhaarNumber { get; init; }

    public required string FirstName { get; init; }
    public string? MiddleName { get; init; }
    public string? LastName { get; init; }

    /// <summary>M, F, O or U.</summary>
    public required string Gender { get; init; }

    /// <summary>yyyy-MM-dd.</summary>
    public required string BirthDate { get; init; }

    public string? AddressLine { get; init; }
    public string? District { get; init; }
    public string? State { get; init; }
    public required string PinCode { get; init; }

    /// <summary>The "Aadhaar-registered" mobile the OTP is said to go to.</summary>
    public required string Mobile { get; init; }

    /// <summary>The name in the person's language (for example Devanagari), with <see cref="LocalNameLanguage"/>.</summary>
    public string? LocalName { get; init; }

    /// <summary>BCP 47 primary tag of <see cref="LocalName"/>: <c>hi</c>, <c>mr</c>, ...</summary>
    public string? LocalNameLanguage { get; init; }

    /// <summary>Base64 JPEG photograph, as UIDAI sends it.</summary>
    public string? Photo { get; init; }

    /// <summary>Checks every field with the same rules as live input and builds the KYC answer.</summary>
    public KycRecord ToRecord()
    {
        var dob = DateOnly.ParseExact(BirthDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return new KycRecord(
            PersonName.Create(FirstName, MiddleName, LastName),
            GenderCodes.Parse(Gender),
            new DateOfBirth(dob.Year, dob.Month, dob.Day),
            PostalAddress.Create(AddressLine, District, State, PinCode),
            MobileNumber.Parse(Mobile))
        {
            LocalName = string.IsNullOrWhiteSpace(LocalName) ? null : Accounts.LocalName.Create(LocalName, LocalNameLanguage),
            Photo = string.IsNullOrWhiteSpace(Photo) ? null : KycPhoto.FromBase64(Photo),
        };
    }
}

/// <summary>
/// The sandbox's documented test identities (fictional people; the numbers are Verhoeff-valid but sit in the
/// 9999 0000 00xx range used for testing). The OTP for them is never sent anywhere: the sandbox's OTP sender
/// exposes it to the test harness instead. See README.md in this project.
/// </summary>
public static class SandboxKycIdentities
{
    public static IReadOnlyList<KycTestIdentity> Default { get; } =
    [
        new()
        {
            AadhaarNumber = "999900000016", FirstName = "Asha", LastName = "Verma", Gender = "F", BirthDate = "1990-04-12",
            AddressLine = "12 MG Road, Shivaji Nagar", District = "Pune", State = "Maharashtra", PinCode = "411005",
            Mobile = "9000000001", LocalName = "आशा वर्मा", LocalNameLanguage = "hi", Photo = SandboxKycPhotos.Asha,
        },
        new()
        {
            AadhaarNumber = "999900000028", FirstName = "Ravi", MiddleName = "Shankar", LastName = "Kumar", Gender = "M",
            BirthDate = "1985-11-03", AddressLine = "Near Bus Stand, Ward 7", District = "Rohtas", State = "Bihar",
            PinCode = "821307", Mobile = "9000000002", LocalName = "रवि शंकर कुमार", LocalNameLanguage = "hi",
        },
        new()
        {
            AadhaarNumber = "999900000037", FirstName = "Meenakshi", LastName = "Sundaram", Gender = "F", BirthDate = "1958-01-26",
            AddressLine = "4 Temple Street, Mylapore", District = "Chennai", State = "Tamil Nadu", PinCode = "600004",
            Mobile = "9000000003",
        },
        new()
        {
            AadhaarNumber = "999900000044", FirstName = "Arjun", LastName = "Singh", Gender = "M", BirthDate = "2008-07-15",
            AddressLine = "House 221, Sector 15", District = "Chandigarh", State = "Chandigarh", PinCode = "160015",
            Mobile = "9000000004", LocalName = "अर्जुन सिंह", LocalNameLanguage = "hi",
        },
        new()
        {
            AadhaarNumber = "999900000059", FirstName = "Kiran", Gender = "O", BirthDate = "1999-12-31",
            AddressLine = "7 Lake View Layout", District = "Bengaluru Urban", State = "Karnataka", PinCode = "560034",
            Mobile = "9000000005",
        },
    ];
}

/// <summary>
/// The sandbox's KYC provider: answers from <see cref="SandboxKycIdentities.Default"/> plus the configured
/// extra identities (an extra one with the same Aadhaar number replaces the default).
/// </summary>
public sealed class SimulatedKycProvider : IKycProvider
{
    private readonly Dictionary<string, KycRecord> records = new(StringComparer.Ordinal);

    public SimulatedKycProvider(IEnumerable<KycTestIdentity>? extra = null)
    {
        foreach (var identity in SandboxKycIdentities.Default.Concat(extra ?? []))
            records[Identity.AadhaarNumber.Parse(identity.AadhaarNumber).Digits] = identity.ToRecord();
    }

    public IReadOnlyCollection<KycRecord> All => records.Values;

    internal IEnumerable<KeyValuePair<string, KycRecord>> ByDigits => records;

    public Task<KycRecord?> FindAsync(AadhaarNumber aadhaar, CancellationToken ct) =>
        Task.FromResult(records.GetValueOrDefault(aadhaar.Digits));
}
