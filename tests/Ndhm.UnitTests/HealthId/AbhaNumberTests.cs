using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId;
using Ndhm.HealthId.Numbers;
using System.Text.Json;

namespace Ndhm.UnitTests.HealthId;

public class AbhaNumberTests
{
    // ABDM's own examples (enrolment API): 91-6285-4575-5116 and 91-5408-0214-0264. By hand for the first body
    // 9162854575511, from the right: doubled 1,5,4,8,6,9,... -> 2,1(10),5(14),8,7(16),3(12),9(18) = 35; the others
    // 1,5,5,5,2,1 = 19; 35 + 19 = 54, and (10 - 4) % 10 = 6.
    [Theory]
    [InlineData("9162854575511", 6)]
    [InlineData("9154080214026", 4)]
    [InlineData("9100000000000", 0)]
    [InlineData("9112345678901", 5)]
    [InlineData("7992739871", 3)] // the textbook Luhn example
    public void LuhnCheckDigit_OfKnownBodies_IsTheExpectedDigit(string body, int expected) =>
        Assert.Equal(expected, Luhn.ComputeCheckDigit(body));

    [Theory]
    [InlineData("91628545755116")]
    [InlineData("91-6285-4575-5116")]
    [InlineData("  91-5408-0214-0264 ")]
    public void Parse_AcceptsTheNumberWithOrWithoutHyphens(string input)
    {
        var number = AbhaNumber.Parse(input);
        Assert.Equal(14, number.Digits.Length);
        Assert.Equal($"{number.Digits[..2]}-{number.Digits[2..6]}-{number.Digits[6..10]}-{number.Digits[10..]}", number.Formatted);
    }

    [Fact]
    public void Parse_HyphenatedAndPlainForms_GiveEqualNumbers()
    {
        Assert.Equal(AbhaNumber.Parse("91-6285-4575-5116"), AbhaNumber.Parse("91628545755116"));
        Assert.Equal("91-6285-4575-5116", AbhaNumber.Parse("91628545755116").ToString());
    }

    [Theory]
    [InlineData("91628545755117")]
    [InlineData("91-6285-4575-5110")]
    [InlineData("91-6285-4575-5161")] // adjacent digits swapped
    public void Parse_WithAWrongCheckDigit_FailsWithAbhaChecksum(string input)
    {
        var error = Assert.Throws<DomainException>(() => AbhaNumber.Parse(input));
        Assert.Equal(HealthIdErrors.AbhaChecksum, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("   ", "empty")]
    [InlineData("9162854575511", "has 13")]
    [InlineData("916285457551166", "has 15")]
    [InlineData("81628545755116", "starts with 81")]
    [InlineData("91-6285-4575-511X", "found 'X' at position 17")]
    [InlineData("91 6285 4575 5116", "found ' ' at position 3")]
    [InlineData("916-285-4575-5116", "XX-XXXX-XXXX-XXXX")]
    [InlineData("91-62854575-5116", "XX-XXXX-XXXX-XXXX")]
    public void Parse_MalformedInput_FailsWithAbhaNumberInvalidSayingWhatIsWrong(string? input, string reason)
    {
        var error = Assert.Throws<DomainException>(() => AbhaNumber.Parse(input));
        Assert.Equal(HealthIdErrors.AbhaNumberInvalid, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains(reason, error.Detail);
    }

    [Fact]
    public void TryParse_ReturnsFalseAndTheErrorInsteadOfThrowing()
    {
        Assert.False(AbhaNumber.TryParse("91628545755117", out var number, out var error));
        Assert.Null(number);
        Assert.Equal(HealthIdErrors.AbhaChecksum, error!.Code);
        Assert.True(AbhaNumber.TryParse("91628545755116", out number));
    }

    [Fact]
    public void Json_WritesTheHyphenatedFormAndReadsBothForms()
    {
        var json = JsonSerializer.Serialize(AbhaNumber.Parse("91628545755116"), NdhmJson.Options);
        Assert.Equal("\"91-6285-4575-5116\"", json);
        Assert.Equal(AbhaNumber.Parse("91628545755116"), JsonSerializer.Deserialize<AbhaNumber>("\"91628545755116\"", NdhmJson.Options));
        var error = Assert.Throws<DomainException>(() => JsonSerializer.Deserialize<AbhaNumber>("\"91628545755117\"", NdhmJson.Options));
        Assert.Equal(HealthIdErrors.AbhaChecksum, error.Code);
    }

    [Fact]
    public void Generator_OverManySamples_ProducesOnlyValidNumbersStartingWith91()
    {
        var generator = new AbhaNumberGenerator(new SeededRandom(42));
        var seen = new HashSet<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var number = generator.Next();
            Assert.StartsWith("91", number.Digits);
            Assert.True(Luhn.IsValid(number.Digits));
            Assert.Equal(number, AbhaNumber.Parse(number.Formatted));
            seen.Add(number.Digits);
        }
        Assert.True(seen.Count > 19_990, "random numbers over 10^11 should practically never repeat");
    }

    [Fact]
    public void Generator_WithTheDefaultCryptoSource_ProducesValidNumbers()
    {
        var generator = new AbhaNumberGenerator();
        for (var i = 0; i < 1_000; i++)
            Assert.True(AbhaNumber.TryParse(generator.Next().Digits, out _));
    }

    [Fact]
    public void Generator_IsNotSequential_ConsecutiveNumbersDifferInManyDigits()
    {
        var generator = new AbhaNumberGenerator(new SeededRandom(7));
        var a = generator.Next().Digits;
        var b = generator.Next().Digits;
        Assert.True(a.Zip(b).Count(p => p.First != p.Second) > 3);
    }

    [Fact]
    public void Generator_UsesEveryDigitInEveryRandomPosition()
    {
        var generator = new AbhaNumberGenerator(new SeededRandom(1));
        var digitsSeen = Enumerable.Range(0, 14).Select(_ => new HashSet<char>()).ToArray();
        for (var i = 0; i < 2_000; i++)
        {
            var d = generator.Next().Digits;
            for (var p = 0; p < 14; p++) digitsSeen[p].Add(d[p]);
        }
        for (var p = 2; p < 14; p++) Assert.Equal(10, digitsSeen[p].Count);
    }

    [Fact]
    public async Task Allocator_WhenTheDrawnNumberIsTaken_DrawsAnotherAndReservesIt()
    {
        var reservations = new InMemoryReservations();
        var first = new AbhaNumberGenerator(new SeededRandom(3)).Next();
        reservations.Reserved.Add(first);
        var allocator = new AbhaNumberAllocator(new AbhaNumberGenerator(new SeededRandom(3)), reservations);

        var number = await allocator.AllocateAsync(CancellationToken.None);

        Assert.NotEqual(first, number);
        Assert.Contains(number, reservations.Reserved);
    }

    [Fact]
    public async Task Allocator_WhenEveryDrawIsTaken_FailsAsDependencyUnavailable()
    {
        var reservations = new InMemoryReservations();
        var constant = new AbhaNumberGenerator(new ScriptedRandom(5));
        reservations.Reserved.Add(constant.Next());
        var allocator = new AbhaNumberAllocator(constant, reservations);

        var error = await Assert.ThrowsAsync<DomainException>(() => allocator.AllocateAsync(CancellationToken.None));

        Assert.Equal(ErrorKind.DependencyUnavailable, error.Kind);
        Assert.Equal(HealthIdErrors.AbhaNumberUnavailable, error.Code);
    }
}
