namespace Ndhm.IntegrationTests.Security;

/// <summary>The log check can fail: the matcher finds each kind of personal data planted in a log line.</summary>
public sealed class PersonalDataMatcherTests
{
    private static readonly PersonalDataMatcher Matcher = new(new PersonalData(
        "Zorawarqx", "Personabcdef", "8123456789", "912345678901", "17 Quillfeather Marg", new DateOnly(1987, 11, 23), "91-5555-6666-7777"));

    [Theory]
    [InlineData("{\"Message\":\"Enrolled zorawarqx\"}", "first name")]
    [InlineData("{\"Message\":\"Enrolled PERSONABCDEF\"}", "last name")]
    [InlineData("OTP sent to +91 81234 56789", "mobile")]
    [InlineData("{\"aadhaar\":\"9123-4567-8901\"}", "Aadhaar number")]
    [InlineData("{\"address\":\"17 quillfeather marg, Pune\"}", "address")]
    [InlineData("{\"dob\":\"1987-11-23\"}", "birth date")]
    [InlineData("{\"dob\":\"23/11/1987\"}", "birth date")]
    [InlineData("{\"RequestPath\":\"/api/v3/verification/abha/91-5555-6666-7777\"}", "unmasked ABHA number")]
    [InlineData("{\"abha\":\"91555566667777\"}", "unmasked ABHA number")]
    [InlineData("{\"abha\":\"91-5555-66XX-XXXX\"}", "unmasked ABHA number")]
    public void GivenALineWithPlantedPersonalData_WhenMatched_ThenItIsFound(string line, string kind)
    {
        var found = Matcher.Find(line);

        Assert.Contains(kind, found);
    }

    [Theory]
    [InlineData("{\"Message\":\"Request refused: FORBIDDEN\",\"RequestPath\":\"/api/v3/verification/abha/XX-XXXX-XXXX-7777\"}")]
    [InlineData("{\"Message\":\"OTP is sent to Mobile number ending with ******6789\",\"Timestamp\":\"2026-12-03T11:22:06.1234567Z\"}")]
    [InlineData("{\"aadhaar\":\"XXXX-XXXX-8901\",\"RequestId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}")]
    public void GivenALineWithOnlyMaskedOrUnrelatedData_WhenMatched_ThenNothingIsFound(string line)
    {
        var found = Matcher.Find(line);

        Assert.Empty(found);
    }
}
