using System.Diagnostics.CodeAnalysis;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Registry.Professionals;

/// <summary>
/// A Healthcare Professionals Registry id: 14 random digits, the first not 0, shown <c>XX-XXXX-XXXX-XXXX</c>.
/// Parsing accepts either form; <see cref="Value"/> is always the 14 plain digits.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(HprIdJsonConverter))]
public readonly record struct HprId
{
    public const int Digits = 14;

    private HprId(string value) => Value = value;

    public string Value { get; }

    public string Display => $"{Value[..2]}-{Value[2..6]}-{Value[6..10]}-{Value[10..]}";

    public static HprId Parse(string? value) =>
        TryParse(value, out var id)
            ? id
            : throw new DomainException(ErrorKind.Validation, RegistryErrors.InvalidHprId, "The HPR id is not valid.",
                "An HPR id is 14 digits (hyphens allowed as XX-XXXX-XXXX-XXXX), not starting with 0.");

    public static bool TryParse([NotNullWhen(true)] string? value, out HprId id)
    {
        id = default;
        if (value is null)
        {
            return false;
        }

        if (value.Length == Digits + 3 && value[2] == '-' && value[7] == '-' && value[12] == '-')
        {
            value = value.Replace("-", "", StringComparison.Ordinal);
        }

        if (value.Length != Digits || value[0] == '0' || !value.AsSpan().ContainsOnlyDigits())
        {
            return false;
        }

        id = new HprId(value);
        return true;
    }

    public static HprId NewRandom(IRegistryRandom random)
    {
        Span<char> digits = stackalloc char[Digits];
        digits[0] = (char)('1' + random.Next(9));
        for (var i = 1; i < Digits; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        return new HprId(new string(digits));
    }

    public override string ToString() => Value ?? "";
}
