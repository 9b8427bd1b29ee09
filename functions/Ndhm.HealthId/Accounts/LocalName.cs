using System.Globalization;

namespace Ndhm.HealthId.Accounts;

/// <summary>
/// The person's name as written in their own language, as UIDAI e-KYC supplies it next to the English one (its
/// local-language data: the name and the language), for instance <c>आशा वर्मा</c> in Hindi. Only Aadhaar e-KYC
/// supplies it; a self-declared (mobile-only) account has none.
/// </summary>
/// <param name="Name">The name in the local script.</param>
/// <param name="Language">The language as a lower-case BCP 47 primary tag (<c>hi</c>, <c>mr</c>, <c>ta</c>, ...).</param>
public sealed record LocalName(string Name, string Language)
{
    /// <summary>Checks the name like <see cref="PersonName"/> parts (NAME_INVALID) and the language tag.</summary>
    public static LocalName Create(string? name, string? language)
    {
        var checkedName = PersonName.Create(name).FirstName;
        var tag = language?.Trim().ToLowerInvariant() ?? "";
        if (tag.Length is < 2 or > 3 || tag.AsSpan().ContainsAnyExceptInRange('a', 'z'))
            throw HealthIdErrors.Invalid(HealthIdErrors.NameInvalid, "Name is not valid",
                "The language of a local-language name is a BCP 47 primary tag such as 'hi'.");
        return new LocalName(checkedName, tag);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Language})");
}

/// <summary>
/// The photograph UIDAI e-KYC releases with the demographics: a JPEG (UIDAI sends it base64), kept on the account
/// for the ABHA card and removed on erasure.
/// </summary>
public static class KycPhoto
{
    /// <summary>UIDAI's photos are a few kilobytes; anything far larger is not one.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Decodes base64 and checks the bytes look like a JPEG of at most <see cref="MaxBytes"/>.</summary>
    public static byte[] FromBase64(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException("The KYC photo is not base64.", nameof(base64));
        }
        return Check(bytes);
    }

    public static byte[] Check(byte[] jpeg)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        if (jpeg.Length is < 4 or > MaxBytes || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[^2] != 0xFF || jpeg[^1] != 0xD9)
            throw new ArgumentException($"The KYC photo must be a JPEG of at most {MaxBytes} bytes.", nameof(jpeg));
        return jpeg;
    }
}
