using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Registry;
using Ndhm.Registry.Facilities;

namespace Ndhm.Gateway.Partners;

/// <summary>
/// Only verified facilities may act as HIPs. Checked twice: when an admin registers or changes a HIP partner (each
/// facility it serves must be in the registry and verified), and on every partner request that names a HIP in
/// <c>X-HIP-ID</c> (one of the caller's facilities, verified now: verification can be withdrawn after registration).
/// </summary>
public sealed class HipFacilities(IFacilityRegistry registry, IPartnerDirectory directory)
{
    public const string Header = "X-HIP-ID";

    /// <summary>
    /// For registration and updates. The admin may do this and the request is well formed; what stands in the way is
    /// the registry's current state, and the same request succeeds once the facility is registered and verified:
    /// hence 409 Conflict (not 403, which would say the admin lacks a right, nor 404, which would say the partner
    /// is missing), keeping the registry's codes <c>FACILITY_NOT_FOUND</c> and <c>FACILITY_NOT_VERIFIED</c>.
    /// </summary>
    public async Task EnsureServableAsync(IReadOnlyList<string> roles, IReadOnlyList<string> facilities, CancellationToken ct)
    {
        if (!roles.Contains(Roles.Hip))
        {
            return;
        }

        foreach (var facility in facilities)
        {
            try
            {
                await registry.EnsureVerifiedHipAsync(FacilityId.Parse(facility), ct);
            }
            catch (DomainException e) when (e.Code is RegistryErrors.FacilityNotFound or RegistryErrors.FacilityNotVerified)
            {
                throw new DomainException(ErrorKind.Conflict, e.Code,
                    e.Code == RegistryErrors.FacilityNotFound ? "A facility is not in the registry." : "A facility is not verified.",
                    $"Facility {facility} must be registered and verified in the facility registry before a HIP partner may serve it.");
            }
        }
    }

    /// <summary>
    /// For inbound partner requests: null when no HIP is named; otherwise the facility id, if the caller is a HIP
    /// partner serving it and the facility is verified now. Refusals are 403 (the caller may not act as that HIP):
    /// <c>FACILITY_NOT_SERVED</c> when it is not one of the caller's facilities, <c>FACILITY_NOT_VERIFIED</c> when the
    /// registry does not (or no longer) list it as verified.
    /// </summary>
    public async Task<string?> EnsureCallerMayActAsAsync(CallerIdentity caller, string? hipId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(hipId))
        {
            return null;
        }

        var id = FacilityId.TryParse(hipId.Trim(), out var parsed)
            ? parsed
            : throw GatewayErrors.Invalid(GatewayErrors.InvalidFacilityId, $"{Header} is not a facility id.", "Facility ids look like IN2810014366.");
        if (!caller.IsInRole(Roles.Hip))
        {
            throw new DomainException(ErrorKind.Forbidden, ErrorCodes.Forbidden, $"Only HIP partners may send {Header}.");
        }

        var partner = await directory.FindAsync(caller.Subject, ct);
        if (partner?.Facilities is not { } served || !served.Contains(id.Value))
        {
            throw new DomainException(ErrorKind.Forbidden, GatewayErrors.FacilityNotServed, "This facility is not one of the caller's.",
                $"Facility {id.Value} is not among the facilities the partner was registered to serve.");
        }

        try
        {
            await registry.EnsureVerifiedHipAsync(id, ct);
        }
        catch (DomainException e) when (e.Code is RegistryErrors.FacilityNotFound or RegistryErrors.FacilityNotVerified)
        {
            throw new DomainException(ErrorKind.Forbidden, RegistryErrors.FacilityNotVerified, "The facility is not verified.",
                $"Facility {id.Value} is not a verified facility now, so it cannot act as a HIP.");
        }

        return id.Value;
    }
}
