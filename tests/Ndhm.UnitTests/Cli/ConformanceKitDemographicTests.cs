using Ndhm.Cli.Conformance;
using Ndhm.Cli.Story;

namespace Ndhm.UnitTests.Cli;

/// <summary>
/// The kit patient's demographics as the HIP kit hands them to a HIP's desk for demographic auth (HIP_INTI_LINK_501):
/// the ABHA profile's date of birth in ABDM's confirm form, and the mistyped year of KIT_DEMOGRAPHICS_MISMATCH.
/// </summary>
public sealed class ConformanceKitDemographicTests
{
    [Theory]
    [InlineData("07-03-1990", 1990, "1990-03-07")]
    [InlineData("03-1990", 1990, "1990")]
    [InlineData("1990", 1990, "1990")]
    [InlineData("", 1990, "1990")]
    [InlineData("07-03-1991", 1990, "1990")]
    public void GivenTheProfilesDateOfBirth_WhenWrittenForTheConfirm_ThenYearMonthDayOrTheYearAlone(string profileDob, int year, string expected)
    {
        var written = KitDemographic.AbdmDateOfBirth(profileDob, year);

        Assert.Equal(expected, written);
    }

    [Fact]
    public void GivenAnEnrolledPatient_WhenHerDemographicIsTaken_ThenNameGenderAndTheFullDateOfBirth()
    {
        var patient = new EnrolledPatient("token", "asha@sbx", "Asha Verma", "F", 1990, "07-03-1990");

        var demographic = KitDemographic.Of(patient);

        Assert.Equal(new KitDemographic("Asha Verma", "F", "1990-03-07"), demographic);
    }

    [Theory]
    [InlineData("1990-03-07", "1991-03-07")]
    [InlineData("1990", "1991")]
    public void GivenHerDemographic_WhenTheYearIsMistyped_ThenOnlyTheYearOfBirthIsOneLater(string dateOfBirth, string mistyped)
    {
        var demographic = new KitDemographic("Asha Verma", "F", dateOfBirth);

        var wrong = demographic.WithYearMistyped();

        Assert.Equal(demographic with { DateOfBirth = mistyped }, wrong);
    }
}
