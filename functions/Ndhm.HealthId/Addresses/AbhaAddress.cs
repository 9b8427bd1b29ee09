using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ndhm.Core.Errors;

namespace Ndhm.HealthId.Addresses;

/// <summary>
/// An ABHA address <c>handle@suffix</c> (<c>@sbx</c> in the sandbox, <c>@abdm</c> in production). The handle is
/// 8-18 characters of letters, digits, <c>.</c> and <c>_</c>, starts with a letter and has no two dots in a row.
/// Addresses are unique without regard to case, so the handle is kept in lower case. An instance is always valid.
/// </summary>
[JsonConverter(typeof(AbhaAddressJsonConverter))]
public sealed class AbhaAddress : IEquatable<AbhaAddress>
{
    public const int MinHandleLength = 8;
    public const int MaxHandleLength = 18;

    private AbhaAddress(string handle, string suffix)
    {
        Handle = handle;
        Suffix = suffix;
    }

    /// <summary>The part before <c>@</c>, lower case.</summary>
    public string Handle { get; }

    /// <summary>The part after <c>@</c>, lower case.</summary>
    public string Suffix { get; }

    /// <summary><c>handle@suffix</c>: the canonical form, also the id of the address's uniqueness claim.</summary>
    public string Value => $"{Handle}@{Suffix}";

    /// <summary>
    /// Parses a handle alone (<c>ravi.kumar</c>) or a full address (<c>Ravi.Kumar@sbx</c>) that must carry
    /// <paramref name="suffix"/>. Throws a Validation <see cref="DomainException"/> <c>ABHA_ADDRESS_INVALID</c>.
    /// </summary>
    public static AbhaAddress Parse(string? input, string suffix) =>
        TryParse(input, suffix, out var address, out var error) ? address : throw error;

    /// <summary>Parses a full address with whatever suffix it carries (stored documents, JSON).</summary>
    public static AbhaAddress Parse(string? fullAddress)
    {
        var at = fullAddress?.LastIndexOf('@') ?? -1;
        if (at < 0)
            throw Invalid("A full ABHA address has the form handle@suffix.");
        return Parse(fullAddress, fullAddress![(at + 1)..]);
    }

    public static bool TryParse([NotNullWhen(true)] string? input, string suffix,
        [NotNullWhen(true)] out AbhaAddress? address, [NotNullWhen(false)] out DomainException? error)
    {
        address = null;
        error = Check(input, suffix, out var handle);
        if (error is not null) return false;
        address = new AbhaAddress(handle!, suffix.ToLowerInvariant());
        return true;
    }

    /// <summary>The reason <paramref name="handle"/> breaks the handle rules, or null when it keeps them.</summary>
    public static string? WhyInvalidHandle(string handle)
    {
        if (handle.Length < MinHandleLength)
            return $"The handle has {handle.Length} characters; it needs at least {MinHandleLength}.";
        if (handle.Length > MaxHandleLength)
            return $"The handle has {handle.Length} characters; it may have at most {MaxHandleLength}.";
        for (var i = 0; i < handle.Length; i++)
        {
            var c = handle[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_')
                return $"The handle may only contain letters, digits, '.' and '_'; found '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c)}' at position {i + 1}.";
        }
        if (!char.IsAsciiLetter(handle[0]))
            return "The handle must start with a letter.";
        if (handle.Contains("..", StringComparison.Ordinal))
            return "The handle must not contain two dots in a row.";
        return null;
    }

    private static DomainException? Check(string? input, string suffix, out string? handle)
    {
        handle = null;
        if (string.IsNullOrWhiteSpace(input))
            return Invalid("The ABHA address is empty.");
        var s = input.Trim();
        var at = s.IndexOf('@');
        if (at >= 0)
        {
            var given = s[(at + 1)..];
            if (!string.Equals(given, suffix, StringComparison.OrdinalIgnoreCase))
                return Invalid($"ABHA addresses here end in @{suffix.ToLowerInvariant()}.");
            s = s[..at];
        }
        var reason = WhyInvalidHandle(s);
        if (reason is not null)
            return Invalid(reason);
        handle = s.ToLowerInvariant();
        return null;
    }

    private static DomainException Invalid(string detail) =>
        HealthIdErrors.Invalid(HealthIdErrors.AbhaAddressInvalid, "ABHA address is not valid", detail);

    public bool Equals(AbhaAddress? other) =>
        other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is AbhaAddress other && Equals(other);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);
    public static bool operator ==(AbhaAddress? left, AbhaAddress? right) => left?.Equals(right) ?? right is null;
    public static bool operator !=(AbhaAddress? left, AbhaAddress? right) => !(left == right);
    public override string ToString() => Value;
}

/// <summary>JSON form: the full <c>handle@suffix</c> string.</summary>
public sealed class AbhaAddressJsonConverter : JsonConverter<AbhaAddress>
{
    public override AbhaAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("An ABHA address must be a JSON string.");
        return AbhaAddress.Parse(reader.GetString());
    }

    public override void Write(Utf8JsonWriter writer, AbhaAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}
