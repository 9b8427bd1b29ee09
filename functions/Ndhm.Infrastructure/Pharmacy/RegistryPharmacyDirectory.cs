using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Gateway.Partners;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// Pharmacies are facilities of type pharmacy the registry lists as verified and active, served by an active partner
/// with the PHARMACY role (the partner's facilities). Partners are few: the one serving a facility is found by listing
/// them (the partner store's list, bounded).
/// </summary>
public sealed class RegistryPharmacyDirectory(IFacilityStore facilities, IPartnerStore partners, IPartnerDirectory directory) : IPharmacyDirectory
{
    private const int MaxPartners = 1000;

    public async Task<PharmacyInfo?> FindAsync(string facilityId, CancellationToken ct)
    {
        if (!FacilityId.TryParse(facilityId, out var id) || (await facilities.FindAsync(id, ct))?.Value is not { } facility || !IsPharmacy(facility)) return null;
        var partner = (await PharmacyPartnersAsync(ct)).FirstOrDefault(p => p.Facilities.Contains(facility.Id.Value));
        return partner is null ? null : new PharmacyInfo(facility.Id.Value, facility.Name, facility.Address.Pincode, partner.ClientId);
    }

    public async Task<IReadOnlyList<PharmacyInfo>> InPincodeAsync(string pincode, int take, CancellationToken ct)
    {
        var found = await facilities.QueryAsync(new FacilityQuery
        {
            Type = FacilityType.Pharmacy, Pincode = pincode, Verified = true, Status = StatusFilter.Active,
        }, afterId: null, take: 100, ct);
        var pharmacyPartners = await PharmacyPartnersAsync(ct);
        return found.Where(IsPharmacy)
            .Select(f => (Facility: f, Partner: pharmacyPartners.FirstOrDefault(p => p.Facilities.Contains(f.Id.Value))))
            .Where(x => x.Partner is not null)
            .Take(take)
            .Select(x => new PharmacyInfo(x.Facility.Id.Value, x.Facility.Name, x.Facility.Address.Pincode, x.Partner!.ClientId))
            .ToList();
    }

    public async Task<IReadOnlySet<string>> ServedByAsync(string partnerId, CancellationToken ct)
    {
        var partner = await directory.FindAsync(partnerId, ct);
        return partner is { Active: true } && partner.Roles.Contains(Roles.Pharmacy) && partner.Facilities is { } served
            ? served
            : new HashSet<string>();
    }

    private static bool IsPharmacy(Facility f) => f.Type == FacilityType.Pharmacy && f.Verified && f.Active;

    private async Task<IReadOnlyList<Partner>> PharmacyPartnersAsync(CancellationToken ct) =>
        (await partners.ListAsync(MaxPartners, ct)).Where(p => p.Active && p.Roles.Contains(Roles.Pharmacy)).ToList();
}
