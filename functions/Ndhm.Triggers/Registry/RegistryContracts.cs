using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Triggers.Registry;

public sealed record GeoLocationResponse(double Latitude, double Longitude);

/// <summary>Whether an entry is in service; searches return active entries unless asked for <c>status=deactivated|all</c>.</summary>
public enum EntryStatus
{
    Active,
    Deactivated,
}

/// <summary>The body of a deactivation: why (shown to everyone who reads the entry).</summary>
public sealed record DeactivationRequest(string? Reason);

public sealed record FacilityResponse(
    string FacilityId,
    string FacilityName,
    FacilityType FacilityType,
    FacilityOwnership Ownership,
    IReadOnlyList<SystemOfMedicine> SystemsOfMedicine,
    FacilityAddress Address,
    GeoLocationResponse GeoLocation,
    FacilityContact Contact,
    bool Verified,
    DateTimeOffset? VerifiedAt,
    EntryStatus Status,
    DateTimeOffset? DeactivatedAt,
    string? DeactivationReason,
    string RegisteredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    double? DistanceKm = null)
{
    public static FacilityResponse From(Facility f, double? distanceKm = null) =>
        new(f.Id.Value, f.Name, f.Type, f.Ownership, f.SystemsOfMedicine, f.Address,
            new GeoLocationResponse(f.Location.Latitude, f.Location.Longitude), f.Contact, f.Verified, f.VerifiedAt,
            f.Active ? EntryStatus.Active : EntryStatus.Deactivated, f.Deactivation?.At, f.Deactivation?.Reason,
            f.RegisteredBy, f.CreatedAt, f.UpdatedAt, distanceKm);
}

public sealed record FacilitySearchResponse(IReadOnlyList<FacilityResponse> Facilities, string? ContinuationToken)
{
    public static FacilitySearchResponse From(Page<FacilityMatch> page) =>
        new(page.Items.Select(m => FacilityResponse.From(m.Facility, m.DistanceKm)).ToList(), page.ContinuationToken);
}

public sealed record ProfessionalResponse(
    string HprId,
    string HprIdDisplay,
    string HprAddress,
    string Name,
    ProfessionalCategory Category,
    string Council,
    string RegistrationNumber,
    IReadOnlyList<string> Qualifications,
    IReadOnlyList<string> Specialties,
    IReadOnlyList<string> Languages,
    IReadOnlyList<string> FacilityIds,
    bool Verified,
    DateTimeOffset? VerifiedAt,
    EntryStatus Status,
    DateTimeOffset? DeactivatedAt,
    string? DeactivationReason,
    string RegisteredBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ProfessionalPersonal? Personal = null)
{
    /// <summary>The public register entry only, as searches show it.</summary>
    public static ProfessionalResponse From(Professional p) =>
        new(p.Id.Value, p.Id.Display, p.HprAddress, p.Name, p.Category, p.Council, p.RegistrationNumber, p.Qualifications,
            p.Specialties, p.Languages, p.FacilityIds.Select(f => f.Value).ToList(), p.Verified, p.VerifiedAt,
            p.Active ? EntryStatus.Active : EntryStatus.Deactivated, p.Deactivation?.At, p.Deactivation?.Reason,
            p.RegisteredBy, p.CreatedAt, p.UpdatedAt);

    /// <summary>
    /// The entry as <paramref name="registrant"/> may see it: the personal details only for platform admins and the
    /// partner that registered the professional (they are personal data, not part of the public register).
    /// </summary>
    public static Func<Professional, ProfessionalResponse> For(Registrant registrant) =>
        p => registrant.IsPlatformAdmin || registrant.Subject == p.RegisteredBy ? From(p) with { Personal = p.Personal } : From(p);
}

public sealed record ProfessionalSearchResponse(IReadOnlyList<ProfessionalResponse> Professionals, string? ContinuationToken)
{
    public static ProfessionalSearchResponse From(Page<Professional> page) =>
        new(page.Items.Select(ProfessionalResponse.From).ToList(), page.ContinuationToken);
}
