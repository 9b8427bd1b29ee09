using Ndhm.Core.Errors;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.UnitTests.Registry;

public sealed class RegistryValidationTests
{
    [Fact]
    public void GivenPersonalDetails_WhenValidated_ThenTheyAreCleanedAndParsed_AndAllBlankMeansNone()
    {
        var details = ProfessionalValidation.Validate(Inputs.Professional() with { Personal = new(" 9812345670 ", "a@b.in", "1979-04-23") });
        var blank = ProfessionalValidation.Validate(Inputs.Professional() with { Personal = new(" ", null, "") });

        Assert.Equal(new ProfessionalPersonal("9812345670", "a@b.in", new DateOnly(1979, 4, 23)), details.Personal);
        Assert.Null(blank.Personal);
    }

    [Fact]
    public void GivenAValidFacility_WhenValidated_ThenNamesAreNormalisedAndTheStateIsResolved()
    {
        var input = Inputs.Facility("  City   Hospital ") with
        {
            FacilityType = "Diagnostic Lab",
            Ownership = "Public-Private",
            SystemsOfMedicine = ["allopathy", "AYURVEDA", "Modern Medicine"],
        };

        var details = FacilityValidation.Validate(input);

        Assert.Equal("City Hospital", details.Name);
        Assert.Equal(FacilityType.DiagnosticLab, details.Type);
        Assert.Equal(FacilityOwnership.PublicPrivatePartnership, details.Ownership);
        Assert.Equal([SystemOfMedicine.ModernMedicine, SystemOfMedicine.Ayurveda], details.SystemsOfMedicine);
        Assert.Equal("Andhra Pradesh", details.Address.StateName);
    }

    [Fact]
    public void GivenAStateNameInsteadOfACode_WhenValidated_ThenTheCodeIsFilledIn()
    {
        var input = Inputs.Facility() with { Address = new FacilityAddressInput("1 Road", null, "Bengaluru Urban", null, "karnataka", "560001") };

        Assert.Equal("29", FacilityValidation.Validate(input).Address.StateCode);
    }

    public static TheoryData<FacilityInput, string> InvalidFacilities() => new()
    {
        { Inputs.Facility() with { FacilityName = "" }, "INVALID_FACILITY_NAME" },
        { Inputs.Facility() with { FacilityName = new string('a', 201) }, "INVALID_FACILITY_NAME" },
        { Inputs.Facility() with { FacilityType = "Spa" }, "INVALID_FACILITY_TYPE" },
        { Inputs.Facility() with { Ownership = null }, "INVALID_OWNERSHIP" },
        { Inputs.Facility() with { SystemsOfMedicine = [] }, "INVALID_SYSTEM_OF_MEDICINE" },
        { Inputs.Facility() with { SystemsOfMedicine = ["Magic"] }, "INVALID_SYSTEM_OF_MEDICINE" },
        { Inputs.Facility() with { Address = null }, "INVALID_ADDRESS" },
        { Inputs.Facility(stateCode: "26"), "UNKNOWN_STATE_CODE" },
        { Inputs.Facility() with { Address = new FacilityAddressInput("1", null, "D", "28", "Kerala", "500001") }, "INVALID_ADDRESS" },
        { Inputs.Facility() with { Address = new FacilityAddressInput("1", null, "D", "28", null, "50001") }, "INVALID_PINCODE" },
        { Inputs.Facility() with { Address = new FacilityAddressInput("1", null, "D", "28", null, "000001") }, "INVALID_PINCODE" },
        { Inputs.Facility(lat: 95), "INVALID_GEO_LOCATION" },
        { Inputs.Facility() with { GeoLocation = null }, "INVALID_GEO_LOCATION" },
        { Inputs.Facility() with { Contact = null }, "INVALID_CONTACT" },
        { Inputs.Facility() with { Contact = new FacilityContactInput("call me", null, null) }, "INVALID_CONTACT" },
        { Inputs.Facility() with { Contact = new FacilityContactInput(null, "not-an-email", null) }, "INVALID_CONTACT" },
        { Inputs.Facility() with { Contact = new FacilityContactInput("9876543210", null, "ftp://x") }, "INVALID_CONTACT" },
    };

    [Theory]
    [MemberData(nameof(InvalidFacilities))]
    public void GivenAnInvalidFacility_WhenValidated_ThenAValidationErrorWithAStableCode(FacilityInput input, string code)
    {
        var error = Assert.Throws<DomainException>(() => FacilityValidation.Validate(input));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal(code, error.Code);
    }

    public static TheoryData<ProfessionalInput, string> InvalidProfessionals() => new()
    {
        { Inputs.Professional(name: " "), "INVALID_PROFESSIONAL_NAME" },
        { Inputs.Professional() with { Category = "1" }, "INVALID_CATEGORY" },
        { Inputs.Professional() with { Category = "Doctor,Nurse" }, "INVALID_CATEGORY" },
        { Inputs.Professional() with { Council = null }, "INVALID_COUNCIL_REGISTRATION" },
        { Inputs.Professional(registration: "a b c"), "INVALID_COUNCIL_REGISTRATION" },
        { Inputs.Professional() with { Qualifications = [] }, "INVALID_QUALIFICATIONS" },
        { Inputs.Professional() with { Specialties = [] }, "INVALID_SPECIALTIES" },
        { Inputs.Professional() with { Languages = null }, "INVALID_LANGUAGES" },
        { Inputs.Professional(facilities: ["IN99"]), "INVALID_FACILITY_ID" },
        { Inputs.Professional() with { Personal = new("12345", null, null) }, "INVALID_PERSONAL_DETAILS" },
        { Inputs.Professional() with { Personal = new(null, "not-an-email", null) }, "INVALID_PERSONAL_DETAILS" },
        { Inputs.Professional() with { Personal = new(null, null, "23/04/1979") }, "INVALID_PERSONAL_DETAILS" },
        { Inputs.Professional() with { Personal = new(null, null, "2999-01-01") }, "INVALID_PERSONAL_DETAILS" },
    };

    [Theory]
    [MemberData(nameof(InvalidProfessionals))]
    public void GivenAnInvalidProfessional_WhenValidated_ThenAValidationErrorWithAStableCode(ProfessionalInput input, string code)
    {
        Assert.Equal(code, Assert.Throws<DomainException>(() => ProfessionalValidation.Validate(input)).Code);
    }

    [Fact]
    public void GivenANurseWithoutSpecialties_WhenValidated_ThenAccepted()
    {
        var details = ProfessionalValidation.Validate(Inputs.Professional() with { Category = "Nurse", Specialties = [] });

        Assert.Equal(ProfessionalCategory.Nurse, details.Category);
        Assert.Empty(details.Specialties);
    }

    [Theory]
    [InlineData("Anita Sharma", "anita.sharma")]
    [InlineData("Dr. Ramesh  K. Iyer", "dr.iyer")]
    [InlineData("Zoë Dsouza", "zoe.dsouza")]
    [InlineData("Madhu", "madhu")]
    [InlineData("123", "hp")]
    public void GivenAName_ThenTheHprAddressStemIsFirstAndLastNameInLowerCaseAscii(string name, string stem)
    {
        Assert.Equal(stem, ProfessionalService.AddressStem(name));
    }
}
