using Ndhm.Registry.Facilities;

namespace Ndhm.Registry.Professionals;

public enum ProfessionalCategory
{
    Doctor,
    Nurse,
    Pharmacist,
}

/// <summary>
/// A registered healthcare professional (HPR). The council registration (council + number) is unique across the
/// registry; verification is granted by a platform admin only.
/// </summary>
public sealed record Professional
{
    public required HprId Id { get; init; }

    /// <summary>The professional's address, e.g. <c>anita.sharma@hpr.sbx</c>.</summary>
    public required string HprAddress { get; init; }
    public required string Name { get; init; }
    public required ProfessionalCategory Category { get; init; }
    public required string Council { get; init; }
    public required string RegistrationNumber { get; init; }
    public required IReadOnlyList<string> Qualifications { get; init; }
    public required IReadOnlyList<string> Specialties { get; init; }
    public required IReadOnlyList<string> Languages { get; init; }
    public required IReadOnlyList<FacilityId> FacilityIds { get; init; }
    public required bool Verified { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }
    public string? VerifiedBy { get; init; }
    public required string RegisteredBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public Professional Verify(string adminSubject, DateTimeOffset now) =>
        Verified ? this : this with { Verified = true, VerifiedAt = now, VerifiedBy = adminSubject, UpdatedAt = now };
}
