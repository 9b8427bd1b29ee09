using Ndhm.Core.Concurrency;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Registry.Professionals;

/// <summary>Search filters the store applies; text is folded (lower-case).</summary>
public sealed record ProfessionalQuery
{
    public string? NameContains { get; init; }
    public string? Specialty { get; init; }
    public string? Language { get; init; }
    public FacilityId? Facility { get; init; }
    public ProfessionalCategory? Category { get; init; }
    public bool? Verified { get; init; }
    public StatusFilter Status { get; init; }
}

public interface IProfessionalStore
{
    /// <summary>
    /// Create-only claim of a council registration. True when <paramref name="owner"/> now holds it (or already did);
    /// false when another professional holds it.
    /// </summary>
    Task<bool> TryClaimCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct);

    /// <summary>
    /// Gives up <paramref name="owner"/>'s claim (after a change of registration number, or an update that lost a race).
    /// Best effort: a claim left behind is taken over once it is old enough and its owner no longer holds it.
    /// </summary>
    Task ReleaseCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct);

    /// <summary>Create-only claim of an HPR address. False when taken.</summary>
    Task<bool> TryClaimAddressAsync(string hprAddress, HprId owner, CancellationToken ct);

    /// <summary>Create-only write. Null when the id is taken; otherwise the ETag.</summary>
    Task<string?> TryCreateAsync(Professional professional, CancellationToken ct);

    Task<Versioned<Professional>?> FindAsync(HprId id, CancellationToken ct);

    /// <summary>Replaces the professional if <paramref name="ifMatch"/> is still current (else CONCURRENT_UPDATE, 412).</summary>
    Task<string> ReplaceAsync(Professional professional, string ifMatch, CancellationToken ct);

    Task<IReadOnlyList<Professional>> QueryAsync(ProfessionalQuery query, string? afterId, int take, CancellationToken ct);
}

/// <summary>The professional registry as other capabilities (telemedicine, e-pharmacy) see it.</summary>
public interface IProfessionalRegistry
{
    Task<Professional?> FindAsync(HprId id, CancellationToken ct);

    /// <summary>
    /// Only verified, active professionals may prescribe or consult. Throws DomainException NotFound
    /// <c>PROFESSIONAL_NOT_FOUND</c>, Forbidden <c>PROFESSIONAL_INACTIVE</c> (deactivated) or Forbidden
    /// <c>PROFESSIONAL_NOT_VERIFIED</c>; returns the professional otherwise.
    /// </summary>
    Task<Professional> EnsureVerifiedPractitionerAsync(HprId id, CancellationToken ct);
}

/// <summary>Registry settings (<c>Registry__HprAddressSuffix</c>).</summary>
public sealed class RegistryOptions
{
    /// <summary>Domain of HPR addresses without the @: <c>hpr.sbx</c> in the sandbox, <c>hpr.abdm</c> in production.</summary>
    public string HprAddressSuffix { get; set; } = "hpr.sbx";
}
