using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;

namespace Ndhm.Registry.Facilities;

/// <summary>A search hit; <see cref="DistanceKm"/> is set when the search was by distance.</summary>
public sealed record FacilityMatch(Facility Facility, double? DistanceKm);

/// <summary>Validated search criteria (see <see cref="FacilitySearch.Create"/>).</summary>
public sealed record FacilitySearch(FacilityQuery Query, GeoPoint? Near, double? RadiusKm, int PageSize, string? AfterId)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const double MaxRadiusKm = 500;

    public static FacilitySearch Create(
        string? name, string? nameMatch, string? type, string? ownership, string? stateCode, string? district, string? pincode,
        bool? verified, string? status, double? latitude, double? longitude, double? radiusKm, int? pageSize, string? continuationToken)
    {
        var query = new FacilityQuery { Verified = verified, Status = StatusFilters.Parse(status) };
        var folded = name is null ? null : Text.Clean(name)?.ToLowerInvariant();
        if (name is not null && (folded is null || folded.Length > FacilityValidation.MaxNameLength))
        {
            throw Invalid("name must not be blank.");
        }

        query = (nameMatch?.ToLowerInvariant()) switch
        {
            null or "prefix" => query with { NamePrefix = folded },
            "contains" => query with { NameContains = folded },
            _ => throw Invalid("nameMatch must be prefix or contains."),
        };

        if (type is not null)
        {
            query = Classification.TryType(type, out var t) ? query with { Type = t } : throw Invalid("type is not a facility type.");
        }

        if (ownership is not null)
        {
            query = Classification.TryOwnership(ownership, out var o) ? query with { Ownership = o } : throw Invalid("ownership is not known.");
        }

        if (stateCode is not null)
        {
            query = IndianStates.TryFindByCode(stateCode, out var s) || IndianStates.TryFindByName(stateCode, out s)
                ? query with { StateCode = s.Code }
                : throw new DomainException(ErrorKind.Validation, RegistryErrors.UnknownStateCode, "The state is not known.",
                    "state must be a two-digit LGD state code or a state's name.");
        }

        if (district is not null)
        {
            query = query with { District = Text.Clean(district)?.ToLowerInvariant() ?? throw Invalid("district must not be blank.") };
        }

        if (pincode is not null)
        {
            query = FacilityValidation.PincodePattern().IsMatch(pincode) ? query with { Pincode = pincode } : throw Invalid("pincode must be six digits.");
        }

        GeoPoint? near = null;
        if (latitude is not null || longitude is not null || radiusKm is not null)
        {
            near = GeoPoint.Create(latitude, longitude, RegistryErrors.InvalidSearch);
            if (radiusKm is not { } r || double.IsNaN(r) || r <= 0 || r > MaxRadiusKm)
            {
                throw Invalid($"radiusKm must be greater than 0 and at most {MaxRadiusKm} with lat and lon.");
            }

            query = query with { Within = near.BoundingBox(r) };
        }

        var size = pageSize ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            throw Invalid($"pageSize must be 1 to {MaxPageSize}.");
        }

        return new FacilitySearch(query, near, near is null ? null : radiusKm, size, Cursor.Decode(continuationToken));
    }

    /// <summary>
    /// A patient's search: verified, active facilities whose name contains <paramref name="name"/>, of a type, in a
    /// pincode; by name or pincode (a patient looks for a facility they know, not a whole category).
    /// </summary>
    public static FacilitySearch ForPatient(string? name, string? type, string? pincode, string? continuationToken)
    {
        if (name is null && pincode is null)
        {
            throw Invalid("name or pincode is required.");
        }

        return Create(name, "contains", type, null, null, null, pincode, verified: true, status: null, null, null, null, DefaultPageSize, continuationToken);
    }

    private static DomainException Invalid(string detail) =>
        RegistryErrors.Invalid(RegistryErrors.InvalidSearch, "The search is not valid.", detail);
}

/// <summary>Registering, changing, verifying, deactivating and finding facilities.</summary>
public sealed class FacilityService(IFacilityStore store, IRegistryRandom random, TimeProvider time, RegistryAudit audit) : IFacilityRegistry
{
    private const int IdAttempts = 8;

    // Distance searches refine in code, so one page may need several store round trips; bounded so a sparse
    // area cannot turn one request into a scan of the country (the caller continues with the token).
    private const int MaxBatchesPerPage = 10;

    public async Task<Versioned<Facility>> RegisterAsync(FacilityInput input, Registrant registrant, CancellationToken ct)
    {
        var details = FacilityValidation.Validate(input);
        IndianStates.TryFindByCode(details.Address.StateCode, out var state);
        for (var attempt = 0; attempt < IdAttempts; attempt++)
        {
            var facility = Facility.Register(FacilityId.NewRandom(state, random), details, registrant, time.GetUtcNow());
            if (await store.TryCreateAsync(facility, ct) is { } etag)
            {
                return new Versioned<Facility>(facility, etag);
            }
        }

        throw new DomainException(ErrorKind.Conflict, RegistryErrors.IdSpaceExhausted, "No free facility id was found.", "Retry the request.");
    }

    public async Task<Versioned<Facility>> GetAsync(FacilityId id, CancellationToken ct) =>
        await store.FindAsync(id, ct) ?? throw RegistryErrors.NoSuchFacility();

    public async Task<Versioned<Facility>> UpdateAsync(FacilityId id, FacilityInput input, string ifMatch, Registrant registrant, CancellationToken ct)
    {
        var details = FacilityValidation.Validate(input);
        var current = await GetAsync(id, ct);
        if (!current.Value.MayBeChangedBy(registrant))
        {
            throw new DomainException(ErrorKind.Forbidden, RegistryErrors.NotFacilityOwner,
                "Only the partner that registered a facility, or a platform admin, may change it.");
        }

        if (details.Address.StateCode != id.StateCode)
        {
            throw RegistryErrors.Invalid(FacilityValidation.InvalidAddress, "The facility is not valid.",
                $"The facility id belongs to state {id.StateCode}; a facility that moved state is registered anew.");
        }

        if (!ETags.Match(current.ETag, ifMatch))
        {
            throw RegistryErrors.ConcurrentUpdate();
        }

        var updated = current.Value.Update(details, registrant, time.GetUtcNow());
        return new Versioned<Facility>(updated, await store.ReplaceAsync(updated, current.ETag, ct));
    }

    public Task<Versioned<Facility>> VerifyAsync(FacilityId id, string adminSubject, string? ifMatch, CancellationToken ct) =>
        AdminChangeAsync(id, ifMatch, "facility.verify", adminSubject, f => f.Verify(adminSubject, time.GetUtcNow()), ct);

    /// <summary>A platform admin takes the facility out of service (it closed): it stops acting as a HIP and leaves default searches.</summary>
    public Task<Versioned<Facility>> DeactivateAsync(FacilityId id, string? reason, string adminSubject, string? ifMatch, CancellationToken ct)
    {
        var deactivation = Deactivation.Create(reason, adminSubject, time.GetUtcNow());
        return AdminChangeAsync(id, ifMatch, "facility.deactivate", adminSubject, f => f.Deactivate(deactivation), ct);
    }

    public Task<Versioned<Facility>> ReactivateAsync(FacilityId id, string? ifMatch, CancellationToken ct) =>
        AdminChangeAsync(id, ifMatch, "facility.reactivate", null, f => f.Reactivate(time.GetUtcNow()), ct);

    public async Task<Page<FacilityMatch>> SearchAsync(FacilitySearch search, CancellationToken ct)
    {
        if (search.Near is null)
        {
            var rows = await store.QueryAsync(search.Query, search.AfterId, search.PageSize + 1, ct);
            var page = rows.Take(search.PageSize).Select(f => new FacilityMatch(f, null)).ToList();
            return new Page<FacilityMatch>(page, rows.Count > search.PageSize ? Cursor.Encode(page[^1].Facility.Id.Value) : null);
        }

        // The store filtered by the bounding box; the haversine drops the box's corners.
        var matches = new List<FacilityMatch>();
        var after = search.AfterId;
        var batch = Math.Max(search.PageSize * 2, 50);
        for (var i = 0; i < MaxBatchesPerPage; i++)
        {
            var rows = await store.QueryAsync(search.Query, after, batch, ct);
            foreach (var facility in rows)
            {
                after = facility.Id.Value;
                var distance = search.Near.DistanceKmTo(facility.Location);
                if (distance <= search.RadiusKm)
                {
                    matches.Add(new FacilityMatch(facility, Math.Round(distance, 3)));
                    if (matches.Count == search.PageSize)
                    {
                        return new Page<FacilityMatch>(matches, Cursor.Encode(after));
                    }
                }
            }

            if (rows.Count < batch)
            {
                return new Page<FacilityMatch>(matches, null);
            }
        }

        return new Page<FacilityMatch>(matches, after is null ? null : Cursor.Encode(after));
    }

    public async Task<Facility?> FindAsync(FacilityId id, CancellationToken ct) => (await store.FindAsync(id, ct))?.Value;

    public async Task<Facility> EnsureVerifiedHipAsync(FacilityId id, CancellationToken ct)
    {
        var facility = await FindAsync(id, ct) ?? throw RegistryErrors.NoSuchFacility();
        if (!facility.Active)
        {
            throw new DomainException(ErrorKind.Forbidden, RegistryErrors.FacilityInactive, "The facility is deactivated.",
                $"Facility {id} was deactivated by the registry and may not act as a HIP.");
        }

        return facility.Verified
            ? facility
            : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.FacilityNotVerified,
                "The facility is not verified.", $"Facility {id} must be verified by the registry before it can act as a HIP.");
    }

    private async Task<Versioned<Facility>> AdminChangeAsync(FacilityId id, string? ifMatch, string action, string? adminSubject,
        Func<Facility, Facility> change, CancellationToken ct) =>
        await AdminChange.ApplyAsync(await GetAsync(id, ct), ifMatch, change, store.ReplaceAsync,
            token => audit.RecordAdminChangeAsync(Ndhm.Audit.AuditChainKey.Facility(id.Value), action, "facility", id.Value, adminSubject, token), ct);
}
