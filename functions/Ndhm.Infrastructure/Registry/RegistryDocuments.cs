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
    Professional Professional,
    ProfessionalPersonalDocument? Personal = null) : IRegistryDocument
{
    public static string PartitionOf(HprId id) => "professional:" + id.Value;

    /// <summary>The public register in <see cref="Professional"/>; the personal details only as <paramref name="personal"/>'s ciphertexts.</summary>
    public static ProfessionalDocument From(Professional p, ProfessionalPersonalDocument? personal) =>
        new(p.Id.Value, PartitionOf(p.Id), RegistryDocTypes.Professional, p.Name.ToLowerInvariant(),
            p.Specialties.Select(s => s.ToLowerInvariant()).ToList(),
            p.Languages.Select(s => s.ToLowerInvariant()).ToList(),
            p.FacilityIds.Select(f => f.Value).ToList(),
            p with { Personal = null },
            personal);
}

/// <summary>
/// A professional's personal details as stored: each an <c>enc:v1:</c> envelope under the professional's data key,
/// bound to the document id and its path (<c>personal.mobile</c>, …). Versions before encryption never wrote these
/// in plaintext, but the reader accepts plaintext so the migration (<see cref="ProfessionalPersonalFields.Plan"/>) and
/// a rolling upgrade are safe.
/// </summary>
internal sealed record ProfessionalPersonalDocument(string? Mobile, string? Email, string? DateOfBirth);

/// <summary>
/// A create-only uniqueness claim: its id is derived from the claimed <see cref="Key"/> (e.g.
/// <c>council:karnataka medical council:kmc/123</c>), so a second create answers 409.
/// </summary>
internal sealed record ClaimDocument(string Id, string Pk, string DocType, string Key, string Owner, DateTimeOffset ClaimedAt)
    : IRegistryDocument;
