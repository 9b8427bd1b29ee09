using System.Text.RegularExpressions;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Registry.Facilities;

namespace Ndhm.Gateway.Partners;

/// <summary>
/// A registered partner (hospital, lab, HIU, pharmacy, PHR app, teleconsultation provider). The secret is
/// never kept: only its PBKDF2 hash.
/// </summary>
public sealed record Partner(
    string ClientId,
    string Name,
    IReadOnlyList<string> Roles,
    Uri BridgeUrl,
    IReadOnlyList<string> Facilities,
    bool Active,
    HashedSecret Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>What an admin asks for; validated by <see cref="PartnerRules"/>.</summary>
public sealed record PartnerRegistration(string ClientId, string Name, IReadOnlyList<string> Roles, Uri BridgeUrl, IReadOnlyList<string> Facilities);

/// <summary>What an admin changes (null: unchanged); each value validated by <see cref="PartnerRules"/>, as at registration.</summary>
public sealed record PartnerChanges(string? Name = null, IReadOnlyList<string>? Roles = null, Uri? BridgeUrl = null, IReadOnlyList<string>? Facilities = null)
{
    public bool ChangesWhatAHipMayServe => Roles is not null || Facilities is not null;
}

public static partial class PartnerRules
{
    /// <summary>Roles a partner may hold (patients and admins are not partners).</summary>
    public static IReadOnlyList<string> PartnerRoles { get; } =
        [Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{2,63}$")]
    private static partial Regex ClientIdPattern();

    public static string ValidateName(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200
            ? throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "name is required (at most 200 characters).")
            : name.Trim();

    public static string ValidateClientId(string? clientId) =>
        clientId is not null && ClientIdPattern().IsMatch(clientId)
            ? clientId
            : throw GatewayErrors.Invalid(GatewayErrors.InvalidClientId, "clientId is invalid.",
                "3 to 64 characters: letters, digits, '_', '.', '-', starting with a letter or digit.");

    public static IReadOnlyList<string> ValidateRoles(IReadOnlyList<string>? roles)
    {
        var unknown = (roles ?? []).Where(r => !PartnerRoles.Contains(r)).ToList();
        if (roles is null || roles.Count == 0 || unknown.Count > 0)
        {
            throw GatewayErrors.Invalid(GatewayErrors.InvalidPartnerRoles, "roles are invalid.",
                $"One or more of {string.Join(", ", PartnerRoles)}" + (unknown.Count > 0 ? $"; not allowed: {string.Join(", ", unknown)}." : "."));
        }

        return roles.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>https everywhere; plain http only to this machine, and only in the sandbox.</summary>
    public static Uri ValidateBridgeUrl(string? bridgeUrl, bool sandbox)
    {
        if (!Uri.TryCreate(bridgeUrl, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw GatewayErrors.Invalid(GatewayErrors.InvalidBridgeUrl, "bridgeUrl is invalid.", "An absolute URL without query, fragment or user info.");
        }

        var ok = uri.Scheme == Uri.UriSchemeHttps || (sandbox && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
        return ok
            ? uri
            : throw GatewayErrors.Invalid(GatewayErrors.InvalidBridgeUrl, "bridgeUrl must use https.",
                sandbox ? "http is accepted only for localhost in the sandbox." : null);
    }

    public static IReadOnlyList<string> ValidateFacilities(IReadOnlyList<string>? facilities)
    {
        var list = facilities ?? [];
        var bad = list.Where(f => !FacilityId.TryParse(f, out _)).ToList();
        return bad.Count == 0 && list.Count <= 500
            ? list.Distinct(StringComparer.Ordinal).ToList()
            : throw GatewayErrors.Invalid(GatewayErrors.InvalidFacilityId, "facilities contain an invalid facility id.",
                "Facility ids look like IN2810014366 (IN, a state code, 8 digits); at most 500.");
    }
}
