using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// Pharmacies are facilities of type pharmacy the registry lists as verified and active, served by an active partner
/// with the PHARMACY role (the partner's facilities), found by the facility's partner index (point reads).
/// </summary>
public sealed class RegistryPharmacyDirectory(IFacilityStore facilities, IFacilityPartners facilityPartners, IPartnerDirectory directory) : IPharmacyDirectory
{
    public async Task<PharmacyInfo?> FindAsync(string facilityId, CancellationToken ct)
    {
        if (!FacilityId.TryParse(facilityId, out var id) || (await facilities.FindAsync(id, ct))?.Value is not { } facility || !IsPharmacy(facility)) return null;
        var partner = await PartnerOfAsync(facility.Id.Value, ct);
        return partner is null ? null : new PharmacyInfo(facility.Id.Value, facility.Name, facility.Address.Pincode, partner);
    }

    public async Task<IReadOnlyList<PharmacyInfo>> InPincodeAsync(string pincode, int take, CancellationToken ct)
    {
        var found = await facilities.QueryAsync(new FacilityQuery
        {
            Type = FacilityType.Pharmacy, Pincode = pincode, Verified = true, Status = StatusFilter.Active,
        }, afterId: null, take: 100, ct);
        var pharmacies = new List<PharmacyInfo>();
        foreach (var facility in found.Where(IsPharmacy))
        {
            if (pharmacies.Count >= take) break;
            if (await PartnerOfAsync(facility.Id.Value, ct) is { } partner)
                pharmacies.Add(new PharmacyInfo(facility.Id.Value, facility.Name, facility.Address.Pincode, partner));
        }

        return pharmacies;
    }

    public async Task<IReadOnlySet<string>> ServedByAsync(string partnerId, CancellationToken ct)
    {
        var partner = await directory.FindAsync(partnerId, ct);
        return partner is { Active: true } && partner.Roles.Contains(Roles.Pharmacy) && partner.Facilities is { } served
            ? served
            : new HashSet<string>();
    }

    private static bool IsPharmacy(Facility f) => f.Type == FacilityType.Pharmacy && f.Verified && f.Active;

    private async Task<string?> PartnerOfAsync(string facilityId, CancellationToken ct) =>
        (await facilityPartners.ServingAsync(facilityId, Roles.Pharmacy, ct)).Select(p => p.PartnerId).FirstOrDefault();
}
