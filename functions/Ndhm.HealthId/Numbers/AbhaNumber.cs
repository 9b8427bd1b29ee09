using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Numbers;

/// <summary>
/// An ABHA number: 14 digits starting with <c>91</c>, the last a Luhn check digit over the first 13, shown as
/// <c>XX-XXXX-XXXX-XXXX</c>. Accepted with or without the hyphens; an instance is always valid.
/// JSON carries the hyphenated form (as ABDM's <c>ABHANumber</c> does) and reads either form.
/// </summary>
[JsonConverter(typeof(AbhaNumberJsonConverter))]
public sealed class AbhaNumber : IEquatable<AbhaNumber>, IParsable<AbhaNumber>
{
    public const int Length = 14;
    public const string Prefix = "91";

    private AbhaNumber(string digits) => Digits = digits;

    /// <summary>The 14 digits, no separators: the canonical form for ids and comparisons.</summary>
    public string Digits { get; }

    /// <summary>The display form <c>XX-XXXX-XXXX-XXXX</c>.</summary>
    public string Formatted => $"{Digits[..2]}-{Digits[2..6]}-{Digits[6..10]}-{Digits[10..]}";

    /// <summary>Builds a number from its first 13 digits by appending the Luhn check digit.</summary>
    public static AbhaNumber FromBody(ReadOnlySpan<char> first13)
    {
        if (first13.Length != Length - 1 || !first13.StartsWith(Prefix) || first13.ContainsAnyExceptInRange('0', '9'))
            throw new ArgumentException("Expected 13 digits starting with 91.", nameof(first13));
        return new AbhaNumber(string.Concat(first13, [(char)('0' + Luhn.ComputeCheckDigit(first13))]));
    }

    /// <summary>Parses <paramref name="input"/> or throws a Validation <see cref="DomainException"/>
    /// (<c>ABHA_CHECKSUM</c> for a wrong check digit, <c>ABHA_NUMBER_INVALID</c> for anything else).</summary>
    public static AbhaNumber Parse(string? input) =>
        TryParse(input, out var number, out var error) ? number : throw error;

    public static AbhaNumber Parse(string s, IFormatProvider? provider) => Parse(s);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider,
        [MaybeNullWhen(false)] out AbhaNumber result) => TryParse(s, out result, out _);

    public static bool TryParse([NotNullWhen(true)] string? input, [NotNullWhen(true)] out AbhaNumber? result) =>
        TryParse(input, out result, out _);

    /// <summary>Parses <paramref name="input"/>; on failure <paramref name="error"/> says precisely what is wrong.</summary>
    public static bool TryParse([NotNullWhen(true)] string? input, [NotNullWhen(true)] out AbhaNumber? result,
        [NotNullWhen(false)] out DomainException? error)
    {
        result = null;
        error = Check(input, out var digits);
        if (error is not null) return false;
        result = new AbhaNumber(digits!);
        return true;
    }

    private static DomainException? Check(string? input, out string? digits)
    {
        digits = null;
        if (string.IsNullOrWhiteSpace(input))
            return Invalid("The ABHA number is empty.");

        var s = input.Trim();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is not (>= '0' and <= '9') and not '-')
                return Invalid($"The ABHA number may only contain digits and hyphens; found '{Printable(s[i])}' at position {i + 1}.");
        }

        if (s.Contains('-'))
        {
            // Hyphens are only accepted in the display grouping, so "9-1..." typos are not silently repaired.
            if (s.Length != 17 || s[2] != '-' || s[7] != '-' || s[12] != '-' || s.Count(c => c == '-') != 3)
                return Invalid("Hyphens must group the ABHA number as XX-XXXX-XXXX-XXXX.");
            s = s.Replace("-", "", StringComparison.Ordinal);
        }

        if (s.Length != Length)
            return Invalid($"An ABHA number has {Length} digits; this one has {s.Length}.");
        if (!s.StartsWith(Prefix, StringComparison.Ordinal))
            return Invalid($"An ABHA number starts with {Prefix}; this one starts with {s[..2]}.");
        if (!Luhn.IsValid(s))
            return new DomainException(ErrorKind.Validation, HealthIdErrors.AbhaChecksum, "ABHA number check digit is wrong",
                "The last digit of the ABHA number is not the Luhn check digit of the first 13; the number was probably mistyped.");

        digits = s;
        return null;
    }

    private static string Printable(char c) => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();

    private static DomainException Invalid(string detail) =>
        HealthIdErrors.Invalid(HealthIdErrors.AbhaNumberInvalid, "ABHA number is malformed", detail);

    public bool Equals(AbhaNumber? other) => other is not null && string.Equals(Digits, other.Digits, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is AbhaNumber other && Equals(other);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Digits);
    public static bool operator ==(AbhaNumber? left, AbhaNumber? right) => left?.Equals(right) ?? right is null;
    public static bool operator !=(AbhaNumber? left, AbhaNumber? right) => !(left == right);

    /// <summary>The display form <c>XX-XXXX-XXXX-XXXX</c>.</summary>
    public override string ToString() => Formatted;
}

/// <summary>Writes the hyphenated form; reads either form and rejects invalid numbers with the domain error.</summary>
public sealed class AbhaNumberJsonConverter : JsonConverter<AbhaNumber>
{
    public override AbhaNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("An ABHA number must be a JSON string.");
        return AbhaNumber.Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, AbhaNumber value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Formatted);
}
