using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Infrastructure.Registry;

/// <summary>
/// Registry documents in the <c>registry</c> container. Each aggregate is one document in its own partition
/// (<c>pk</c> = <c>facility:{id}</c> / <c>professional:{id}</c>), so point reads and ETag replaces are single-partition;
/// searches are cross-partition queries over the folded copies kept beside the aggregate.
/// </summary>
internal static class RegistryDocTypes
{
    public const string Facility = "facility";
    public const string Professional = "professional";
    public const string CouncilClaim = "hprCouncilClaim";
    public const string AddressClaim = "hprAddressClaim";
}

internal sealed record FacilityDocument(
    string Id,
    string Pk,
    string DocType,
    string NameFolded,
    string DistrictFolded,
    Facility Facility) : IRegistryDocument
{
    public static string PartitionOf(FacilityId id) => "facility:" + id.Value;

    public static FacilityDocument From(Facility f) =>
        new(f.Id.Value, PartitionOf(f.Id), RegistryDocTypes.Facility, f.Name.ToLowerInvariant(), f.Address.District.ToLowerInvariant(), f);
}

internal sealed record ProfessionalDocument(
    string Id,
    string Pk,
    string DocType,
    string NameFolded,
    IReadOnlyList<string> SpecialtiesFolded,
    IReadOnlyList<string> LanguagesFolded,
    IReadOnlyList<string> FacilityIds,
    Professional Professional) : IRegistryDocument
{
    public static string PartitionOf(HprId id) => "professional:" + id.Value;

    public static ProfessionalDocument From(Professional p) =>
        new(p.Id.Value, PartitionOf(p.Id), RegistryDocTypes.Professional, p.Name.ToLowerInvariant(),
            p.Specialties.Select(s => s.ToLowerInvariant()).ToList(),
            p.Languages.Select(s => s.ToLowerInvariant()).ToList(),
            p.FacilityIds.Select(f => f.Value).ToList(),
            p);
}

/// <summary>
/// A create-only uniqueness claim: its id is derived from the claimed <see cref="Key"/> (e.g.
/// <c>council:karnataka medical council:kmc/123</c>), so a second create answers 409.
/// </summary>
internal sealed record ClaimDocument(string Id, string Pk, string DocType, string Key, string Owner, DateTimeOffset ClaimedAt)
    : IRegistryDocument;
