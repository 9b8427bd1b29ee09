using Ndhm.Core.Concurrency;
using Ndhm.Registry.Common;

namespace Ndhm.Registry.Facilities;

/// <summary>Filters the store applies in its query. Text filters are already folded (lower-case).</summary>
public sealed record FacilityQuery
{
    public string? NamePrefix { get; init; }
    public string? NameContains { get; init; }
    public FacilityType? Type { get; init; }
    public FacilityOwnership? Ownership { get; init; }
    public string? StateCode { get; init; }
    public string? District { get; init; }
    public string? Pincode { get; init; }
    public bool? Verified { get; init; }
    public StatusFilter Status { get; init; }
    public BoundingBox? Within { get; init; }
}

/// <summary>Persistence of facilities (Cosmos in production and in the sandbox).</summary>
public interface IFacilityStore
{
    /// <summary>Create-only write. Null when a facility with this id already exists; otherwise its ETag.</summary>
    Task<string?> TryCreateAsync(Facility facility, CancellationToken ct);

    Task<Versioned<Facility>?> FindAsync(FacilityId id, CancellationToken ct);

    /// <summary>Replaces the facility if <paramref name="ifMatch"/> is still current (else CONCURRENT_UPDATE, 412).</summary>
    Task<string> ReplaceAsync(Facility facility, string ifMatch, CancellationToken ct);

    /// <summary>Up to <paramref name="take"/> facilities matching <paramref name="query"/>, ordered by id, ids after <paramref name="afterId"/>.</summary>
    Task<IReadOnlyList<Facility>> QueryAsync(FacilityQuery query, string? afterId, int take, CancellationToken ct);
}

/// <summary>
/// The facility registry as other capabilities see it (gateway, consent, data flow): does this facility exist,
/// and may it act as a health-information provider.
/// </summary>
public interface IFacilityRegistry
{
    Task<Facility?> FindAsync(FacilityId id, CancellationToken ct);

    /// <summary>
    /// Only verified, active facilities may act as HIPs. Throws DomainException NotFound <c>FACILITY_NOT_FOUND</c>,
    /// Forbidden <c>FACILITY_INACTIVE</c> (deactivated: closed) or Forbidden <c>FACILITY_NOT_VERIFIED</c>; returns the
    /// facility otherwise.
    /// </summary>
    Task<Facility> EnsureVerifiedHipAsync(FacilityId id, CancellationToken ct);
}
