namespace Ndhm.HealthId.Numbers;

/// <summary>
/// The Verhoeff check digit (dihedral group D5), which Aadhaar numbers carry in their last position. It catches
/// every single-digit error and every adjacent transposition, which Luhn does not (09 &lt;-&gt; 90).
/// </summary>
public static class Verhoeff
{
    private static readonly byte[,] Multiplication =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly byte[,] Permutation =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    private static readonly byte[] Inverse = { 0, 4, 3, 2, 1, 5, 6, 7, 8, 9 };

    /// <summary>The check digit to append to <paramref name="digits"/> (ASCII digits only).</summary>
    public static int ComputeCheckDigit(ReadOnlySpan<char> digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            // Position 0 is the (future) check digit, so the payload starts at position 1.
            var d = Digit(digits[digits.Length - 1 - i]);
            c = Multiplication[c, Permutation[(i + 1) % 8, d]];
        }
        return Inverse[c];
    }

    /// <summary>True when <paramref name="digitsWithCheck"/> ends in the Verhoeff check digit of the rest.</summary>
    public static bool IsValid(ReadOnlySpan<char> digitsWithCheck)
    {
        if (digitsWithCheck.Length < 2) return false;
        var c = 0;
        for (var i = 0; i < digitsWithCheck.Length; i++)
        {
            var d = Digit(digitsWithCheck[digitsWithCheck.Length - 1 - i]);
            c = Multiplication[c, Permutation[i % 8, d]];
        }
        return c == 0;
    }

    private static int Digit(char c) =>
        c is >= '0' and <= '9' ? c - '0' : throw new ArgumentException($"'{c}' is not a digit.", nameof(c));
}
