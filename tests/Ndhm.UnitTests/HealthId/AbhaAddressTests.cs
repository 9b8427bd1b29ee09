using Ndhm.Core.Errors;
using Ndhm.HealthId;
using Ndhm.HealthId.Addresses;

namespace Ndhm.UnitTests.HealthId;

public class AbhaAddressTests
{
    [Theory]
    [InlineData("ravi.kumar", "ravi.kumar@sbx")]
    [InlineData("Ravi.Kumar@SBX", "ravi.kumar@sbx")]
    [InlineData("gaurav_22101991", "gaurav_22101991@sbx")]
    [InlineData("a1234567", "a1234567@sbx")]
    [InlineData("abcdefghijklmnopqr", "abcdefghijklmnopqr@sbx")]
    [InlineData("r.k_s.1985", "r.k_s.1985@sbx")]
    public void Parse_ValidHandle_IsNormalisedToLowerCaseWithTheSuffix(string input, string expected) =>
        Assert.Equal(expected, AbhaAddress.Parse(input, "sbx").Value);

    [Fact]
    public void Equality_IgnoresCase_SoUniquenessIsCaseInsensitive() =>
        Assert.Equal(AbhaAddress.Parse("RAVI.KUMAR", "sbx"), AbhaAddress.Parse("ravi.kumar@sbx", "sbx"));

    [Theory]
    [InlineData("ravikum", "at least 8")]                 // too short
    [InlineData("abcdefghijklmnopqrs", "at most 18")]      // too long
    [InlineData("ravi-kumar", "found '-' at position 5")]  // character outside the set
    [InlineData("ravi kumar", "found ' ' at position 5")]
    [InlineData("rávikumar", "found 'á' at position 2")]   // letters are ASCII only
    [InlineData("1ravikumar", "start with a letter")]
    [InlineData("_ravikumar", "start with a letter")]
    [InlineData(".ravikumar", "start with a letter")]
    [InlineData("ravi..kumar", "two dots in a row")]
    [InlineData("ravi.kumar@abdm", "end in @sbx")]         // wrong suffix for this deployment
    [InlineData("ravi@kumar@sbx", "end in @sbx")]
    [InlineData("", "empty")]
    public void Parse_EachBrokenRule_FailsWithAbhaAddressInvalidAndTheReason(string input, string reason)
    {
        var error = Assert.Throws<DomainException>(() => AbhaAddress.Parse(input, "sbx"));
        Assert.Equal(HealthIdErrors.AbhaAddressInvalid, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains(reason, error.Detail);
    }

    [Fact]
    public void Parse_TheSuffixComesFromConfiguration()
    {
        Assert.Equal("ravi.kumar@abdm", AbhaAddress.Parse("ravi.kumar@abdm", AbhaAddressOptions.ProductionSuffix).Value);
        Assert.Equal("ravi.kumar@abdm", AbhaAddress.Parse("ravi.kumar@abdm").Value);
    }
}

public class AbhaAddressSuggesterTests
{
    private readonly AbhaAddressSuggester suggester = new(new AbhaAddressOptions { Suffix = "sbx" });

    [Theory]
    [InlineData("Ravi", "Kumar", 1985)]
    [InlineData("Asha", null, 1990)]
    [InlineData("Al", "Li", 2001)]
    [InlineData("Venkatanarasimharajuvaripeta", "Subrahmanyam", 1958)]
    [InlineData("श्रुति", "शर्मा", 1970)]     // no Latin letters at all
    [InlineData("O'Brien-Smith", "D'Souza", 1999)]
    public void Candidates_AreAllValidUniqueAndCarryTheSuffix(string first, string? last, int year)
    {
        var candidates = suggester.Candidates(first, last, year).ToList();

        Assert.True(candidates.Count >= AbhaAddressSuggester.DefaultCount);
        Assert.Equal(candidates.Count, candidates.Select(c => c.Value).Distinct().Count());
        foreach (var candidate in candidates)
        {
            Assert.Equal("sbx", candidate.Suffix);
            Assert.Null(AbhaAddress.WhyInvalidHandle(candidate.Handle));
            Assert.Equal(candidate, AbhaAddress.Parse(candidate.Value, "sbx"));
        }
    }

    [Fact]
    public void Candidates_ComeFromTheNameAndBirthYear()
    {
        var top = suggester.Candidates("Ravi", "Kumar", 1985).Take(5).Select(c => c.Value).ToList();
        Assert.Equal(["ravi.kumar@sbx", "ravi_kumar@sbx", "ravikumar1985@sbx", "ravi.kumar1985@sbx", "ravi_kumar1985@sbx"], top);
    }

    [Fact]
    public void Candidates_AreDeterministicForTheSameInputs() =>
        Assert.Equal(suggester.Candidates("Meenakshi", "Sundaram", 1958).Select(c => c.Value),
            suggester.Candidates("Meenakshi", "Sundaram", 1958).Select(c => c.Value));

    [Fact]
    public void Suggest_SkipsTakenAddresses()
    {
        var taken = new HashSet<string> { "ravi.kumar@sbx", "ravikumar1985@sbx" };
        var suggestions = suggester.Suggest("Ravi", "Kumar", 1985, a => taken.Contains(a.Value));

        Assert.Equal(AbhaAddressSuggester.DefaultCount, suggestions.Count);
        Assert.DoesNotContain(suggestions, s => taken.Contains(s.Value));
        Assert.Equal("ravi_kumar@sbx", suggestions[0].Value);
    }

    [Fact]
    public async Task SuggestAsync_WhenEveryNaturalFormIsTaken_FallsBackToNumberedVariants()
    {
        var natural = suggester.Candidates("Ravi", "Kumar", 1985).Take(15).Select(c => c.Value).ToArray();
        var availability = new TakenAddresses(natural);

        var suggestions = await suggester.SuggestAsync("Ravi", "Kumar", 1985, availability, CancellationToken.None);

        Assert.Equal(AbhaAddressSuggester.DefaultCount, suggestions.Count);
        Assert.All(suggestions, s => Assert.DoesNotContain(s.Value, natural));
        Assert.Equal(suggestions.Count, suggestions.Distinct().Count());
    }

    [Fact]
    public async Task SuggestAsync_AsksAvailabilityInBatchesNotOnePerCandidate()
    {
        var availability = new TakenAddresses();
        await suggester.SuggestAsync("Ravi", "Kumar", 1985, availability, CancellationToken.None);
        Assert.Equal(1, availability.Calls);
    }
}
