using System.Diagnostics.CodeAnalysis;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;

namespace Ndhm.Registry.Facilities;

/// <summary>
/// An HFR facility id: <c>IN</c>, the two-digit LGD code of the facility's state (<see cref="IndianStates"/>)
/// and eight random digits, e.g. <c>IN2810014366</c>. Valid by construction.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(FacilityIdJsonConverter))]
public readonly record struct FacilityId
{
    public const int Length = 12;

    private FacilityId(string value) => Value = value;

    public string Value { get; }

    public string StateCode => Value.Substring(2, 2);

    public static FacilityId Parse(string? value) =>
        TryParse(value, out var id)
            ? id
            : throw new DomainException(ErrorKind.Validation, RegistryErrors.InvalidFacilityId, "The facility id is not valid.",
                "A facility id is IN, a two-digit state code and eight digits, e.g. IN2810014366.");

    public static bool TryParse([NotNullWhen(true)] string? value, out FacilityId id)
    {
        id = default;
        if (value is null || value.Length != Length || !value.StartsWith("IN", StringComparison.Ordinal)
            || !value.AsSpan(2).ContainsOnlyDigits() || !IndianStates.TryFindByCode(value.Substring(2, 2), out _))
        {
            return false;
        }

        id = new FacilityId(value);
        return true;
    }

    /// <summary>A new random id in the given state (uniqueness is the store's job: create-only writes).</summary>
    public static FacilityId NewRandom(IndianState state, IRegistryRandom random)
    {
        Span<char> digits = stackalloc char[8];
        for (var i = 0; i < digits.Length; i++)
        {
            digits[i] = (char)('0' + random.Next(10));
        }

        return new FacilityId("IN" + state.Code + new string(digits));
    }

    public override string ToString() => Value ?? "";
}

internal static class SpanDigits
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return span.Length > 0;
    }
}
