using Ndhm.Core.Errors;
using Ndhm.Registry.Facilities;

namespace Ndhm.UnitTests.Registry;

public sealed class PostalCircleTests
{
    [Theory]
    [InlineData("36", "500001")] // Hyderabad, Telangana
    [InlineData("28", "520001")] // Vijayawada, Andhra Pradesh
    [InlineData("28", "507114")] // a Polavaram mandal moved from Telangana in 2014, keeping its PIN
    [InlineData("07", "110001")] // New Delhi
    [InlineData("06", "134109")] // Panchkula, Haryana
    [InlineData("03", "160055")] // Mohali, Punjab (Chandigarh's 16 series)
    [InlineData("04", "160017")] // Chandigarh
    [InlineData("05", "248001")] // Dehradun, Uttarakhand (Uttar Pradesh circle)
    [InlineData("37", "194101")] // Leh, Ladakh
    [InlineData("01", "190001")] // Srinagar
    [InlineData("30", "403001")] // Panaji, Goa
    [InlineData("27", "400001")] // Mumbai
    [InlineData("22", "492001")] // Raipur, Chhattisgarh
    [InlineData("23", "462001")] // Bhopal
    [InlineData("38", "396230")] // Silvassa
    [InlineData("38", "362520")] // Diu
    [InlineData("29", "560001")] // Bengaluru
    [InlineData("34", "605001")] // Puducherry
    [InlineData("34", "533464")] // Yanam
    [InlineData("31", "682555")] // Kavaratti, Lakshadweep
    [InlineData("11", "737101")] // Gangtok, Sikkim
    [InlineData("35", "744101")] // Port Blair
    [InlineData("18", "781001")] // Guwahati
    [InlineData("17", "793001")] // Shillong
    [InlineData("20", "834001")] // Ranchi, Jharkhand
    [InlineData("10", "800001")] // Patna
    public void GivenAPinCodeOfItsState_WhenChecked_ThenTheStateServesIt(string stateCode, string pincode) =>
        Assert.True(PostalCircles.Serves(stateCode, pincode));

    [Theory]
    [InlineData("28", "500001")] // Hyderabad is in Telangana, not Andhra Pradesh
    [InlineData("36", "520001")] // Vijayawada is in Andhra Pradesh
    [InlineData("07", "400001")] // Mumbai is not in Delhi
    [InlineData("30", "400001")] // nor in Goa
    [InlineData("37", "190001")] // Srinagar is not in Ladakh
    [InlineData("22", "462001")] // Bhopal is not in Chhattisgarh
    [InlineData("09", "110001")] // Delhi is not in Uttar Pradesh
    [InlineData("27", "900001")] // 9x is the Army Postal Service, no state
    public void GivenAPinCodeOfAnotherCircle_WhenChecked_ThenTheStateDoesNotServeIt(string stateCode, string pincode) =>
        Assert.False(PostalCircles.Serves(stateCode, pincode));

    [Fact]
    public void GivenEveryLgdState_WhenItsPinPrefixesAreListed_ThenNoneIsMissing() =>
        Assert.All(IndianStates.All, state => Assert.NotEmpty(PostalCircles.PrefixesOf(state.Code)));

    [Fact]
    public void GivenAHyderabadPinWithAndhraPradeshsStateCode_WhenAFacilityIsValidated_ThenPincodeStateMismatchNamesTheState()
    {
        var input = Inputs.Facility() with { Address = new FacilityAddressInput("1 Abids Road", "Hyderabad", "Hyderabad", "28", null, "500001") };

        var error = Assert.Throws<DomainException>(() => FacilityValidation.Validate(input));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("PINCODE_STATE_MISMATCH", error.Code);
        Assert.Contains("Andhra Pradesh", error.Detail);
    }

    [Fact]
    public void GivenAHyderabadPinWithTelanganasStateCode_WhenAFacilityIsValidated_ThenItIsStoredAsTelangana()
    {
        var input = Inputs.Facility() with { Address = new FacilityAddressInput("1 Abids Road", "Hyderabad", "Hyderabad", "36", null, "500001") };

        var address = FacilityValidation.Validate(input).Address;

        Assert.Equal(("36", "Telangana", "500001"), (address.StateCode, address.StateName, address.Pincode));
    }
}
