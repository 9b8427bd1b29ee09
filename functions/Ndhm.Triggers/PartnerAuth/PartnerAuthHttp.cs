using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.HealthId.PartnerAuth;
using Ndhm.Triggers.Abdm;

namespace Ndhm.Triggers.PartnerAuth;

/// <summary>Checks shared by the users/auth and patients/find functions.</summary>
public static class PartnerAuthHttp
{
    /// <summary>
    /// The requester a query names must be the caller in the role it called as: a HIP names the facility it sent
    /// in X-HIP-ID (or itself), an HIU itself (or its X-HIU-ID). Anything else would let one partner ask for another.
    /// </summary>
    public static AuthRequester Requester<T>(AbdmInbound<T> inbound, AuthQueryRequester? named)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        var party = inbound.Requester;
        var type = named?.Type ?? (party.HipId is not null ? RequesterType.Hip : RequesterType.Hiu);
        var expected = type == RequesterType.Hip ? party.HipId ?? inbound.HipId : party.HiuId ?? inbound.HiuId;
        var role = type == RequesterType.Hip ? Roles.Hip : Roles.Hiu;
        if (!inbound.Caller.IsInRole(role) || (named?.Id is { Length: > 0 } id && !string.Equals(id.Trim(), expected, StringComparison.Ordinal)
                                               && !string.Equals(id.Trim(), inbound.Caller.Subject, StringComparison.Ordinal)))
        {
            throw AbdmErrors.Error(ErrorKind.Forbidden, type == RequesterType.Hip ? AbdmErrors.InvalidHip : AbdmErrors.InvalidHiu,
                ErrorCodes.Forbidden, "The requester is not the caller.",
                "query.requester must name the calling partner (or the facility it names in X-HIP-ID / X-HIU-ID).");
        }

        return new AuthRequester(inbound.Caller.Subject, type, expected ?? inbound.Caller.Subject);
    }

    public static string RequiredId(string? id, string field) =>
        string.IsNullOrWhiteSpace(id)
            ? throw AbdmErrors.Invalid(AbdmErrors.InvalidRequest, ErrorCodes.InvalidRequest, $"{field} is required.")
            : id.Trim();

    public static T Required<T>(T? value, string field) where T : struct =>
        value ?? throw AbdmErrors.Invalid(AbdmErrors.InvalidRequest, ErrorCodes.InvalidRequest, $"{field} is required.");
}
