using System.Text.Json;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.HealthId;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;

namespace Ndhm.UnitTests.HealthId;

public class VerhoeffTests
{
    [Theory]
    [InlineData("236", 3)]      // the textbook example
    [InlineData("12345", 1)]
    [InlineData("142857", 0)]
    [InlineData("99990000001", 6)]
    public void CheckDigit_OfKnownValues_IsTheExpectedDigit(string digits, int expected) =>
        Assert.Equal(expected, Verhoeff.ComputeCheckDigit(digits));

    [Fact]
    public void IsValid_CatchesEverySingleDigitErrorAndAdjacentTranspositionOfAValidNumber()
    {
        const string valid = "999900000028";
        Assert.True(Verhoeff.IsValid(valid));
        for (var i = 0; i < valid.Length; i++)
        {
            for (var d = '0'; d <= '9'; d++)
            {
                if (d == valid[i]) continue;
                var typo = valid[..i] + d + valid[(i + 1)..];
                Assert.False(Verhoeff.IsValid(typo), typo);
            }
        }
        for (var i = 0; i + 1 < valid.Length; i++)
        {
            if (valid[i] == valid[i + 1]) continue;
            var swapped = valid[..i] + valid[i + 1] + valid[i] + valid[(i + 2)..];
            Assert.False(Verhoeff.IsValid(swapped), swapped);
        }
    }
}

public class AadhaarNumberTests
{
    [Theory]
    [InlineData("999900000016")]
    [InlineData("9999 0000 0016")]
    [InlineData("9999-0000-0016")]
    [InlineData("234123412346")]
    public void Parse_AcceptsTwelveDigitsWithAValidVerhoeffCheck(string input) =>
        Assert.Equal("XXXX-XXXX-" + input.Replace(" ", "").Replace("-", "")[^4..], AadhaarNumber.Parse(input).Masked);

    [Theory]
    [InlineData("999900000017", "Verhoeff")]
    [InlineData("99990000001", "has 11")]
    [InlineData("1234 5678 9012", "never starts with 0 or 1")]
    [InlineData("9999O0000016", "only contain digits")]
    [InlineData("", "empty")]
    public void Parse_InvalidInput_FailsWithAadhaarInvalid(string input, string reason)
    {
        var error = Assert.Throws<DomainException>(() => AadhaarNumber.Parse(input));
        Assert.Equal(HealthIdErrors.AadhaarInvalid, error.Code);
        Assert.Contains(reason, error.Detail);
        Assert.DoesNotContain("99990000001", error.Detail ?? "");
    }

    [Fact]
    public void ToString_AndSerialisation_NeverRevealTheNumber()
    {
        var aadhaar = AadhaarNumber.Parse("999900000016");
        Assert.Equal("XXXX-XXXX-0016", aadhaar.ToString());
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(aadhaar, NdhmJson.Options));
        Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new { aadhaar }, NdhmJson.Options));
    }

    [Fact]
    public async Task IdentityHasher_IsStableKeyedAndDoesNotContainTheNumber()
    {
        var keys = new FixedKeySource();
        var hasher = new HmacIdentityHasher(keys);
        var aadhaar = AadhaarNumber.Parse("999900000016");

        var first = await hasher.HashAadhaarAsync(aadhaar, CancellationToken.None);
        var again = await hasher.HashAadhaarAsync(AadhaarNumber.Parse("9999 0000 0016"), CancellationToken.None);
        keys.Keys[HealthIdKeyPurpose.IdentityHash] = Enumerable.Repeat((byte)9, 32).ToArray();
        var otherKey = await hasher.HashAadhaarAsync(aadhaar, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherKey);
        Assert.Equal(64, first.Length);
        Assert.DoesNotContain("999900000016", first);
    }

    [Fact]
    public async Task IdentityHasher_SeparatesKinds_TheSameDigitsAsMobileAndAadhaarHashDifferently()
    {
        var hasher = new HmacIdentityHasher(new FixedKeySource());
        var mobile = await hasher.HashMobileAsync(MobileNumber.Parse("9999000001"), CancellationToken.None);
        var mobileAgain = await hasher.HashMobileAsync(MobileNumber.Parse("+91 99990 00001"), CancellationToken.None);
        var aadhaar = await hasher.HashAadhaarAsync(AadhaarNumber.Parse("999900000016"), CancellationToken.None);
        Assert.Equal(mobile, mobileAgain);
        Assert.NotEqual(mobile, aadhaar);
    }

    [Fact]
    public async Task IdentityHasher_WithAShortKey_Refuses()
    {
        var keys = new FixedKeySource();
        keys.Keys[HealthIdKeyPurpose.IdentityHash] = new byte[16];
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new HmacIdentityHasher(keys).HashAadhaarAsync(AadhaarNumber.Parse("999900000016"), CancellationToken.None).AsTask());
    }
}

public class MobileNumberTests
{
    [Theory]
    [InlineData("9876543210")]
    [InlineData("+919876543210")]
    [InlineData("+91 98765 43210")]
    [InlineData("+91-98765-43210")]
    [InlineData("919876543210")]
    [InlineData("09876543210")]
    [InlineData(" 98765 43210 ")]
    public void Parse_NormalisesPrefixesAndSeparatorsToTenDigits(string input)
    {
        var mobile = MobileNumber.Parse(input);
        Assert.Equal("9876543210", mobile.Digits);
        Assert.Equal("+919876543210", mobile.E164);
    }

    [Theory]
    [InlineData("5876543210", "starts with 5")]
    [InlineData("987654321", "this one has 9")]
    [InlineData("98765432101", "this one has 11")]
    [InlineData("+449876543210", "Only Indian")]
    [InlineData("98765x3210", "only contain digits")]
    [InlineData("", "empty")]
    [InlineData("00919876543210", "this one has 14")]
    public void Parse_InvalidInput_FailsWithMobileInvalid(string input, string reason)
    {
        var error = Assert.Throws<DomainException>(() => MobileNumber.Parse(input));
        Assert.Equal(HealthIdErrors.MobileInvalid, error.Code);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains(reason, error.Detail);
    }

    [Fact]
    public void ToString_ShowsOnlyTheLastFourDigits() =>
        Assert.Equal("******3210", MobileNumber.Parse("9876543210").ToString());
}
