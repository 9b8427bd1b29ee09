using Ndhm.Core.Errors;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.UnitTests.Registry;

public sealed class RegistryIdTests
{
    [Theory]
    [InlineData("IN2810014366")]
    [InlineData("IN0100000000")]
    [InlineData("IN3899999999")]
    public void GivenAWellFormedFacilityIdOfAKnownState_WhenParsed_ThenItKeepsItsValueAndStateCode(string text)
    {
        var id = FacilityId.Parse(text);

        Assert.Equal(text, id.Value);
        Assert.Equal(text.Substring(2, 2), id.StateCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("IN281001436")]    // 11 characters
    [InlineData("IN28100143667")]  // 13
    [InlineData("in2810014366")]   // lower-case prefix
    [InlineData("IN2510014366")]   // 25: retired (Daman and Diu merged into 38)
    [InlineData("IN9910014366")]   // no such state
    [InlineData("IN28100143A6")]
    [InlineData("US2810014366")]
    public void GivenAMalformedFacilityId_WhenParsed_ThenInvalidFacilityId(string? text)
    {
        var error = Assert.Throws<DomainException>(() => FacilityId.Parse(text));

        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Equal("INVALID_FACILITY_ID", error.Code);
    }

    [Fact]
    public void GivenAState_WhenANewFacilityIdIsDrawn_ThenItIsInPlusTheStateCodePlusEightRandomDigits()
    {
        IndianStates.TryFindByCode("28", out var andhra);

        var id = FacilityId.NewRandom(andhra, new SequenceRandom(1, 0, 0, 1, 4, 3, 6, 6));

        Assert.Equal("IN2810014366", id.Value);
        Assert.True(FacilityId.TryParse(id.Value, out _));
    }

    [Fact]
    public void GivenTheStateTable_ThenItHasThe28StatesAnd8UnionTerritoriesWithUniqueTwoDigitCodes()
    {
        Assert.Equal(28, IndianStates.All.Count(s => !s.IsUnionTerritory));
        Assert.Equal(8, IndianStates.All.Count(s => s.IsUnionTerritory));
        Assert.Equal(IndianStates.All.Count, IndianStates.All.Select(s => s.Code).Distinct().Count());
        Assert.All(IndianStates.All, s => Assert.Matches("^[0-9]{2}$", s.Code));
        Assert.DoesNotContain(IndianStates.All, s => s.Code is "25" or "26");
    }

    [Theory]
    [InlineData("28", "Andhra Pradesh")]
    [InlineData("29", "Karnataka")]
    [InlineData("36", "Telangana")]
    [InlineData("07", "Delhi")]
    [InlineData("37", "Ladakh")]
    [InlineData("38", "Dadra and Nagar Haveli and Daman and Diu")]
    public void GivenAnLgdStateCode_WhenLookedUp_ThenItNamesThatState(string code, string name)
    {
        Assert.True(IndianStates.TryFindByCode(code, out var state));
        Assert.Equal(name, state.Name);
        Assert.True(IndianStates.TryFindByName(name.ToUpperInvariant(), out var byName));
        Assert.Equal(code, byName.Code);
    }

    [Theory]
    [InlineData("12345678901234", "12345678901234")]
    [InlineData("12-3456-7890-1234", "12345678901234")]
    public void GivenAnHprIdInEitherForm_WhenParsed_ThenItIsTheFourteenDigits(string text, string value)
    {
        var id = HprId.Parse(text);

        Assert.Equal(value, id.Value);
        Assert.Equal("12-3456-7890-1234", id.Display);
    }

    [Theory]
    [InlineData("02345678901234")]
    [InlineData("1234567890123")]
    [InlineData("123456789012345")]
    [InlineData("1234567890123A")]
    [InlineData("1-23456-7890-1234")]
    [InlineData(null)]
    public void GivenAMalformedHprId_WhenParsed_ThenInvalidHprId(string? text)
    {
        Assert.Equal("INVALID_HPR_ID", Assert.Throws<DomainException>(() => HprId.Parse(text)).Code);
    }

    [Fact]
    public void GivenRandomDigits_WhenANewHprIdIsDrawn_ThenItHas14DigitsAndNoLeadingZero()
    {
        var id = HprId.NewRandom(new SequenceRandom(0));

        Assert.Equal("10000000000000", id.Value);
    }
}
