using System.Diagnostics.CodeAnalysis;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Identity;

/// <summary>
/// An Aadhaar number as typed by a person: 12 digits (spaces or hyphens between groups allowed), not starting
/// with 0 or 1 (UIDAI never issues those), the last a Verhoeff check digit.
/// <para>
/// Deliberately awkward to leak: it has no JSON converter (serialising it throws), <see cref="ToString"/> masks
/// it, and the digits are reachable only inside this assembly, where <see cref="IIdentityHasher"/> turns them
/// into a keyed hash. Store and compare the hash, never the number.
/// </para>
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(RefuseToSerialise))]
public sealed class AadhaarNumber
{
    private AadhaarNumber(string digits) => Digits = digits;

    internal string Digits { get; }

    /// <summary>Only the last four digits, as UIDAI prints on masked Aadhaar.</summary>
    public string Masked => "XXXX-XXXX-" + Digits[^4..];

    public static AadhaarNumber Parse(string? input) =>
        TryParse(input, out var number, out var error) ? number : throw error;

    public static bool TryParse([NotNullWhen(true)] string? input, [NotNullWhen(true)] out AadhaarNumber? number,
        [NotNullWhen(false)] out DomainException? error)
    {
        number = null;
        error = Check(input, out var digits);
        if (error is not null) return false;
        number = new AadhaarNumber(digits!);
        return true;
    }

    private static DomainException? Check(string? input, out string? digits)
    {
        digits = null;
        if (string.IsNullOrWhiteSpace(input))
            return Invalid("The Aadhaar number is empty.");
        var chars = new List<char>(12);
        foreach (var c in input.Trim())
        {
            if (c is >= '0' and <= '9') chars.Add(c);
            else if (c is ' ' or '-') continue;
            else return Invalid("An Aadhaar number may only contain digits, spaces and hyphens.");
        }
        var d = new string(chars.ToArray());
        if (d.Length != 12)
            return Invalid($"An Aadhaar number has 12 digits; this one has {d.Length}.");
        if (d[0] is '0' or '1')
            return Invalid("An Aadhaar number never starts with 0 or 1.");
        if (!Verhoeff.IsValid(d))
            return Invalid("The last digit of the Aadhaar number is not its Verhoeff check digit; the number was probably mistyped.");
        digits = d;
        return null;
    }

    private static DomainException Invalid(string detail) =>
        HealthIdErrors.Invalid(HealthIdErrors.AadhaarInvalid, "Aadhaar number is not valid", detail);

    public override string ToString() => Masked;

    private sealed class RefuseToSerialise : System.Text.Json.Serialization.JsonConverter<AadhaarNumber>
    {
        public override AadhaarNumber Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert,
            System.Text.Json.JsonSerializerOptions options) =>
            throw new NotSupportedException("Aadhaar numbers are never read from documents; parse the request field explicitly.");

        public override void Write(System.Text.Json.Utf8JsonWriter writer, AadhaarNumber value,
            System.Text.Json.JsonSerializerOptions options) =>
            throw new NotSupportedException("Aadhaar numbers are never written out; store IIdentityHasher's hash instead.");
    }
}
