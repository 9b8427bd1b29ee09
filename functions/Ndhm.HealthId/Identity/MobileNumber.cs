using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Identity;

/// <summary>
/// An Indian mobile number: 10 digits starting with 6, 7, 8 or 9. Accepted with a <c>+91</c>, <c>91</c> or
/// <c>0</c> prefix and with spaces or hyphens between digits; kept as the bare 10 digits.
/// </summary>
[JsonConverter(typeof(MobileNumberJsonConverter))]
public sealed class MobileNumber : IEquatable<MobileNumber>
{
    private MobileNumber(string digits) => Digits = digits;

    /// <summary>The 10 digits without prefix.</summary>
    public string Digits { get; }

    /// <summary>E.164 form, <c>+91XXXXXXXXXX</c>, for SMS gateways.</summary>
    public string E164 => "+91" + Digits;

    /// <summary>Only the last four digits, as ABDM shows it in "OTP sent to ******0161" messages and logs.</summary>
    public string Masked => "******" + Digits[^4..];

    public static MobileNumber Parse(string? input) =>
        TryParse(input, out var mobile, out var error) ? mobile : throw error;

    public static bool TryParse([NotNullWhen(true)] string? input, [NotNullWhen(true)] out MobileNumber? mobile,
        [NotNullWhen(false)] out DomainException? error)
    {
        mobile = null;
        error = Check(input, out var digits);
        if (error is not null) return false;
        mobile = new MobileNumber(digits!);
        return true;
    }

    private static DomainException? Check(string? input, out string? digits)
    {
        digits = null;
        if (string.IsNullOrWhiteSpace(input))
            return Invalid("The mobile number is empty.");

        var s = input.Trim();
        var plus = s.StartsWith('+');
        if (plus) s = s[1..];
        var compact = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c is >= '0' and <= '9') compact.Append(c);
            else if (c is ' ' or '-') continue;
            else return Invalid($"A mobile number may only contain digits, spaces, hyphens and a leading '+'; found '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c)}'.");
        }
        var d = compact.ToString();

        if (plus)
        {
            if (!d.StartsWith("91", StringComparison.Ordinal))
                return Invalid("Only Indian mobile numbers (+91) are accepted.");
            d = d[2..];
        }
        else if (d.Length == 12 && d.StartsWith("91", StringComparison.Ordinal))
            d = d[2..];
        else if (d.Length == 11 && d[0] == '0')
            d = d[1..];

        if (d.Length != 10)
            return Invalid($"An Indian mobile number has 10 digits after the prefix; this one has {d.Length}.");
        if (d[0] is < '6')
            return Invalid($"An Indian mobile number starts with 6, 7, 8 or 9; this one starts with {d[0]}.");
        digits = d;
        return null;
    }

    private static DomainException Invalid(string detail) =>
        HealthIdErrors.Invalid(HealthIdErrors.MobileInvalid, "Mobile number is not valid", detail);

    public bool Equals(MobileNumber? other) => other is not null && string.Equals(Digits, other.Digits, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is MobileNumber other && Equals(other);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Digits);

    /// <summary>The masked form: a mobile number should not end up in a log line by accident.</summary>
    public override string ToString() => Masked;
}

/// <summary>JSON form: the 10 digits (the account document keeps the mobile; logs must not).</summary>
public sealed class MobileNumberJsonConverter : JsonConverter<MobileNumber>
{
    public override MobileNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("A mobile number must be a JSON string.");
        return MobileNumber.Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, MobileNumber value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Digits);
}
