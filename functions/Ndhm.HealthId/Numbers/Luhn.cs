namespace Ndhm.HealthId.Numbers;

/// <summary>The Luhn (mod 10) check digit, which ABHA numbers carry in their last position.</summary>
public static class Luhn
{
    /// <summary>The check digit to append to <paramref name="digits"/> (ASCII digits only).</summary>
    public static int ComputeCheckDigit(ReadOnlySpan<char> digits)
    {
        // Walk from the right: the digit next to the (future) check digit is doubled, then every second one.
        var sum = 0;
        var doubleIt = true;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = Digit(digits[i]);
            if (doubleIt)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    /// <summary>True when the last digit of <paramref name="digitsWithCheck"/> is the Luhn check digit of the rest.</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheck) =>
        digitsWithCheck.Length >= 2 &&
        ComputeCheckDigit(digitsWithCheck[..^1]) == Digit(digitsWithCheck[^1]);

    private static int Digit(char c) =>
        c is >= '0' and <= '9' ? c - '0' : throw new ArgumentException($"'{c}' is not a digit.", nameof(c));
}
