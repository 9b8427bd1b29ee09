using System.Globalization;

namespace Ndhm.Core.Abdm;

/// <summary>
/// ABDM's timestamp form (UTC, milliseconds, <c>Z</c>): every message, header, key expiry and signature time the
/// platform writes uses it, so it is written in one place.
/// </summary>
public static class AbdmTimestamp
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
