using System.Text.RegularExpressions;
using Ndhm.Core.Errors;

namespace Ndhm.Audit;

/// <summary>
/// Names a chain. Events about a patient's data go to that patient's chain (<c>patient:{ABHA number}</c>), so the
/// patient's trail is one chain; events about a registry entry or a partner go to that resource's chain
/// (<c>facility:{HFR id}</c>, <c>professional:{HPR id}</c>, <c>partner:{client id}</c>); everything else (platform
/// configuration, key operations) goes to <c>platform</c>. A key is also the Cosmos partition of its chain.
/// </summary>
public static partial class AuditChainKey
{
    public const string Platform = "platform";

    public static string Patient(string abhaNumber) => Of("patient", Digits(abhaNumber));

    public static string Facility(string facilityId) => Of("facility", facilityId);

    public static string Professional(string hprId) => Of("professional", hprId);

    public static string Partner(string clientId) => Of("partner", clientId);

    public static bool IsValid(string? key) => key is not null && (key == Platform || Pattern().IsMatch(key));

    /// <summary>The key, or INVALID_AUDIT_CHAIN (400) for a key no chain can have.</summary>
    public static string Parse(string? key) => IsValid(key)
        ? key!
        : throw new DomainException(ErrorKind.Validation, AuditErrors.InvalidChain, "The audit chain key is not valid.",
            "A chain key is 'platform' or '<kind>:<id>' (kind patient, facility, professional or partner; id letters, digits, '.', '_', '@' or '-').");

    // ABHA numbers are shown hyphenated (91-1234-5678-9012) and sent bare; a patient has one chain either way.
    private static string Digits(string abhaNumber) =>
        abhaNumber.Contains('-', StringComparison.Ordinal) ? abhaNumber.Replace("-", "", StringComparison.Ordinal) : abhaNumber;

    private static string Of(string kind, string id) => Parse(kind + ":" + id);

    [GeneratedRegex("^(patient|facility|professional|partner):[A-Za-z0-9._@-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
