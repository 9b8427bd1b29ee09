using System.Globalization;
using Ndhm.Core.Configuration;

namespace Ndhm.Core.RateLimits;

/// <summary>
/// The abuse limits of the platform, with production defaults. Each can be changed per deployment with
/// <c>RateLimits__{Name}__Limit</c> and <c>RateLimits__{Name}__WindowSeconds</c> (test hosts raise them).
/// Which requests count against which policy, and by what key, is the HTTP gate's table (Triggers) and, for
/// identifiers inside request bodies, the owning service's business.
/// </summary>
public sealed class RateLimitPolicies
{
    /// <summary>OTPs sent (enrolment, login, mobile change, account confirmation), per caller.</summary>
    public const string OtpRequest = "OtpRequest";
    /// <summary>OTP verifications (enrolment, login, mobile change, deactivation and deletion), per caller.</summary>
    public const string OtpVerification = "OtpVerification";
    /// <summary>OTPs requested for one target (ABHA number or address, mobile, Aadhaar number), whoever asks (Health ID).</summary>
    public const string OtpRequestTarget = "OtpRequestTarget";
    /// <summary>OTP codes tried against the transactions of one target, whoever tries (Health ID).</summary>
    public const string OtpVerificationTarget = "OtpVerificationTarget";
    /// <summary>Login steps without an OTP (account selection, token refresh), per caller.</summary>
    public const string Login = "Login";
    /// <summary>Partner lookups (verification by ABHA number or address), per calling partner.</summary>
    public const string PartnerLookup = "PartnerLookup";
    /// <summary>Partner lookups of one ABHA number or address, whoever asks.</summary>
    public const string PartnerLookupTarget = "PartnerLookupTarget";
    /// <summary>Facility and professional searches, per caller.</summary>
    public const string RegistrySearch = "RegistrySearch";
    /// <summary>Session creation (client credentials or refresh), per client id.</summary>
    public const string SessionClient = "SessionClient";
    /// <summary>Session creation, per client IP (guessing client ids from one address).</summary>
    public const string SessionIp = "SessionIp";
    /// <summary>The patient's download of everything held about them (a heavy read of every capability), per patient.</summary>
    public const string DataExport = "DataExport";
    /// <summary>Reads and deletions of the patient's health record (timeline, records, files, sharing), per caller.</summary>
    public const string HealthRecords = "HealthRecords";
    /// <summary>Pages of admin maintenance passes over a whole store (data migrations), per admin.</summary>
    public const string Maintenance = "Maintenance";
    /// <summary>Document uploads to the patient's health record (each up to 10 MiB, scanned), per caller.</summary>
    public const string HealthRecordUpload = "HealthRecordUpload";

    /// <summary>
    /// Production defaults. Anonymous callers are counted by IP, and many people can share one (carrier NAT), so
    /// the per-caller OTP limits are generous; the per-mobile OTP window in Health ID is the tight one.
    /// </summary>
    public static IReadOnlyList<RateLimitPolicy> Defaults { get; } =
    [
        new(OtpRequest, 30, TimeSpan.FromMinutes(10)),
        new(OtpVerification, 60, TimeSpan.FromMinutes(10)),
        new(OtpRequestTarget, 5, TimeSpan.FromHours(1)),
        new(OtpVerificationTarget, 15, TimeSpan.FromHours(1)),
        new(Login, 60, TimeSpan.FromMinutes(10)),
        new(PartnerLookup, 300, TimeSpan.FromMinutes(1)),
        new(PartnerLookupTarget, 30, TimeSpan.FromMinutes(10)),
        new(RegistrySearch, 120, TimeSpan.FromMinutes(1)),
        new(SessionClient, 20, TimeSpan.FromMinutes(1)),
        new(SessionIp, 120, TimeSpan.FromMinutes(1)),
        new(DataExport, 5, TimeSpan.FromHours(1)),
        new(HealthRecords, 300, TimeSpan.FromMinutes(1)),
        new(HealthRecordUpload, 30, TimeSpan.FromMinutes(10)),
        new(Maintenance, 120, TimeSpan.FromMinutes(1)),
    ];

    private readonly Dictionary<string, RateLimitPolicy> byName;

    public RateLimitPolicies(IEnumerable<RateLimitPolicy> policies)
    {
        byName = policies.Select(p => p.Validate()).ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<RateLimitPolicy> All => byName.Values;

    public RateLimitPolicy this[string name] => byName.TryGetValue(name, out var policy)
        ? policy
        : throw new KeyNotFoundException($"No rate-limit policy named '{name}'.");

    /// <summary>The defaults with any overrides from settings (read by <paramref name="setting"/>, null when unset).</summary>
    public static RateLimitPolicies FromSettings(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new RateLimitPolicies(Defaults.Select(p => p with
        {
            Limit = Read(setting, SettingNames.RateLimitLimit(p.Name)) ?? p.Limit,
            Window = Read(setting, SettingNames.RateLimitWindowSeconds(p.Name)) is { } seconds ? TimeSpan.FromSeconds(seconds) : p.Window,
        }));
    }

    private static int? Read(Func<string, string?> setting, string name) =>
        setting(name) is { } raw
            ? int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new InvalidOperationException($"Setting {name} must be a positive whole number (got '{raw}').")
            : null;
}
