using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;

namespace Ndhm.Registry.Professionals;

public sealed record ProfessionalSearch(ProfessionalQuery Query, int PageSize, string? AfterId)
{
    public static ProfessionalSearch Create(string? name, string? specialty, string? language, string? facilityId,
        string? category, bool? verified, string? status, int? pageSize, string? continuationToken)
    {
        var query = new ProfessionalQuery
        {
            NameContains = Fold(name, "name"),
            Specialty = Fold(specialty, "specialty"),
            Language = Fold(language, "language"),
            Verified = verified,
            Status = StatusFilters.Parse(status),
        };
        if (facilityId is not null)
        {
            query = query with { Facility = FacilityId.Parse(facilityId) };
        }

        if (category is not null)
        {
            query = category.All(char.IsLetter) && Enum.TryParse<ProfessionalCategory>(category, true, out var c)
                ? query with { Category = c }
                : throw Invalid("category must be doctor, nurse or pharmacist.");
        }

        var size = pageSize ?? FacilitySearch.DefaultPageSize;
        if (size is < 1 or > FacilitySearch.MaxPageSize)
        {
            throw Invalid($"pageSize must be 1 to {FacilitySearch.MaxPageSize}.");
        }

        return new ProfessionalSearch(query, size, Cursor.Decode(continuationToken));
    }

    private static string? Fold(string? value, string field) =>
        value is null ? null : Text.Clean(value)?.ToLowerInvariant() is { Length: <= 100 } folded ? folded : throw Invalid($"{field} must not be blank.");

    private static DomainException Invalid(string detail) =>
        RegistryErrors.Invalid(RegistryErrors.InvalidSearch, "The search is not valid.", detail);
}

/// <summary>Registering, changing, verifying, deactivating and finding healthcare professionals.</summary>
public sealed class ProfessionalService(
    IProfessionalStore store, IFacilityRegistry facilities, IRegistryRandom random, TimeProvider time, RegistryOptions options, RegistryAudit audit)
    : IProfessionalRegistry
{
    private const int Attempts = 8;

    public async Task<Versioned<Professional>> RegisterAsync(ProfessionalInput input, Registrant registrant, CancellationToken ct)
    {
        var details = ProfessionalValidation.Validate(input);
        await EnsurePractisableAsync(details.FacilityIds, registrant, ct);
        var id = await NewIdAsync(ct);
        await ClaimCouncilRegistrationAsync(details, id, ct);
        var address = await ClaimAddressAsync(details.Name, id, ct);
        var professional = Professional.Register(id, address, details, registrant, time.GetUtcNow());
        var etag = await store.TryCreateAsync(professional, ct)
            ?? throw new DomainException(ErrorKind.Conflict, RegistryErrors.IdSpaceExhausted, "No free HPR id was found.", "Retry the request.");
        return new Versioned<Professional>(professional, etag);
    }

    public async Task<Versioned<Professional>> GetAsync(HprId id, CancellationToken ct) =>
        await store.FindAsync(id, ct) ?? throw RegistryErrors.NoSuchProfessional();

    /// <summary>
    /// Replaces what a caller may set (everything registration takes); the HPR id and address stay. The registering
    /// partner or a platform admin only. A new council registration is claimed before the write and the old one
    /// released after it, so the number stays unique throughout.
    /// </summary>
    public async Task<Versioned<Professional>> UpdateAsync(HprId id, ProfessionalInput input, string ifMatch, Registrant registrant, CancellationToken ct)
    {
        var details = ProfessionalValidation.Validate(input);
        var current = await GetAsync(id, ct);
        if (!current.Value.MayBeChangedBy(registrant))
        {
            throw new DomainException(ErrorKind.Forbidden, RegistryErrors.NotProfessionalOwner,
                "Only the partner that registered a professional, or a platform admin, may change them.");
        }

        if (!ETags.Match(current.ETag, ifMatch))
        {
            throw RegistryErrors.ConcurrentUpdate();
        }

        var before = current.Value;
        var updated = before.Update(details, registrant, time.GetUtcNow());
        // Facilities already listed stay listed if they closed since; only new links must be to active facilities.
        await EnsurePractisableAsync(details.FacilityIds.Except(before.FacilityIds), registrant, ct);
        var newRegistration = !before.HoldsCouncilRegistration(details.Council, details.RegistrationNumber);
        if (newRegistration)
        {
            await ClaimCouncilRegistrationAsync(details, id, ct);
        }

        string etag;
        try
        {
            etag = await store.ReplaceAsync(updated, current.ETag, ct);
        }
        catch (DomainException) when (newRegistration)
        {
            await store.ReleaseCouncilRegistrationAsync(details.Council, details.RegistrationNumber, id, ct);
            throw;
        }

        if (newRegistration)
        {
            await store.ReleaseCouncilRegistrationAsync(before.Council, before.RegistrationNumber, id, ct);
        }

        return new Versioned<Professional>(updated, etag);
    }

    public Task<Versioned<Professional>> VerifyAsync(HprId id, string adminSubject, string? ifMatch, CancellationToken ct) =>
        AdminChangeAsync(id, ifMatch, "professional.verify", adminSubject, p => p.Verify(adminSubject, time.GetUtcNow()), ct);

    /// <summary>A platform admin suspends the professional (registration lapsed, struck off): they may no longer prescribe or consult.</summary>
    public Task<Versioned<Professional>> DeactivateAsync(HprId id, string? reason, string adminSubject, string? ifMatch, CancellationToken ct)
    {
        var deactivation = Deactivation.Create(reason, adminSubject, time.GetUtcNow());
        return AdminChangeAsync(id, ifMatch, "professional.deactivate", adminSubject, p => p.Deactivate(deactivation), ct);
    }

    public Task<Versioned<Professional>> ReactivateAsync(HprId id, string? ifMatch, CancellationToken ct) =>
        AdminChangeAsync(id, ifMatch, "professional.reactivate", null, p => p.Reactivate(time.GetUtcNow()), ct);

    public async Task<Page<Professional>> SearchAsync(ProfessionalSearch search, CancellationToken ct)
    {
        var rows = await store.QueryAsync(search.Query, search.AfterId, search.PageSize + 1, ct);
        var page = rows.Take(search.PageSize).ToList();
        return new Page<Professional>(page, rows.Count > search.PageSize ? Cursor.Encode(page[^1].Id.Value) : null);
    }

    public async Task<Professional?> FindAsync(HprId id, CancellationToken ct) => (await store.FindAsync(id, ct))?.Value;

    public async Task<Professional> EnsureVerifiedPractitionerAsync(HprId id, CancellationToken ct)
    {
        var professional = await FindAsync(id, ct) ?? throw RegistryErrors.NoSuchProfessional();
        if (!professional.Active)
        {
            throw new DomainException(ErrorKind.Forbidden, RegistryErrors.ProfessionalInactive, "The professional is deactivated.",
                "A deactivated professional may not prescribe or consult.");
        }

        return professional.Verified
            ? professional
            : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.ProfessionalNotVerified,
                "The professional is not verified.", "Only verified professionals may prescribe or consult.");
    }

    /// <summary>The user part of an address: first and last name, lower-case ASCII letters, joined by a dot.</summary>
    public static string AddressStem(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.ToLowerInvariant().Select(FoldLatin).Where(char.IsAsciiLetter).ToArray()))
            .Where(w => w.Length > 0)
            .ToList();
        var stem = words.Count switch
        {
            0 => "hp",
            1 => words[0],
            _ => words[0] + "." + words[^1],
        };
        return stem.Length > 28 ? stem[..28].TrimEnd('.') : stem;
    }

    // String.Normalize is a no-op under invariant globalization (as these hosts run), so accented Latin letters
    // are folded by table; other scripts are dropped (transliteration is not done: such names get the "hp" stem).
    private static char FoldLatin(char c) => c switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'ā' => 'a',
        'ç' => 'c',
        'è' or 'é' or 'ê' or 'ë' or 'ē' => 'e',
        'ì' or 'í' or 'î' or 'ï' or 'ī' => 'i',
        'ñ' => 'n',
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ō' => 'o',
        'ù' or 'ú' or 'û' or 'ü' or 'ū' => 'u',
        'ý' or 'ÿ' => 'y',
        _ => c,
    };

    private async Task<HprId> NewIdAsync(CancellationToken ct)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var id = HprId.NewRandom(random);
            if (await store.FindAsync(id, ct) is null)
            {
                return id;
            }
        }

        throw new DomainException(ErrorKind.Conflict, RegistryErrors.IdSpaceExhausted, "No free HPR id was found.", "Retry the request.");
    }

    private async Task<string> ClaimAddressAsync(string name, HprId owner, CancellationToken ct)
    {
        var stem = AddressStem(name);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var user = attempt == 0 ? stem : $"{stem}{random.Next(10_000):D4}";
            var address = $"{user}@{options.HprAddressSuffix}";
            if (await store.TryClaimAddressAsync(address, owner, ct))
            {
                return address;
            }
        }

        // Only reachable if thousands share a name: the HPR id keeps the address unique.
        var fallback = $"{stem}.{owner.Value}@{options.HprAddressSuffix}";
        return await store.TryClaimAddressAsync(fallback, owner, ct)
            ? fallback
            : throw new DomainException(ErrorKind.Conflict, RegistryErrors.IdSpaceExhausted, "No free HPR address was found.", "Retry the request.");
    }

    /// <summary>Facilities a professional is newly listed at must be registered and active.</summary>
    /// <summary>
    /// Each newly listed facility exists, is active, and belongs to the caller (the partner that registered it) unless
    /// the caller is a platform admin: a partner cannot attach professionals to another partner's facility.
    /// </summary>
    private async Task EnsurePractisableAsync(IEnumerable<FacilityId> facilityIds, Registrant registrant, CancellationToken ct)
    {
        foreach (var facilityId in facilityIds)
        {
            var facility = await facilities.FindAsync(facilityId, ct)
                ?? throw new DomainException(ErrorKind.Validation, RegistryErrors.UnknownFacility, "A facility is not registered.",
                    $"No facility has id {facilityId}.");
            if (!facility.Active)
            {
                throw new DomainException(ErrorKind.Validation, RegistryErrors.FacilityInactive, "A facility is deactivated.",
                    $"Facility {facilityId} is deactivated; professionals cannot be newly listed there.");
            }

            if (!facility.MayBeChangedBy(registrant))
            {
                throw new DomainException(ErrorKind.Forbidden, RegistryErrors.NotFacilityOwner,
                    "A facility belongs to another partner.",
                    $"Only the partner that registered facility {facilityId}, or a platform admin, may list professionals there.");
            }
        }
    }

    private async Task ClaimCouncilRegistrationAsync(ProfessionalDetails details, HprId owner, CancellationToken ct)
    {
        if (!await store.TryClaimCouncilRegistrationAsync(details.Council, details.RegistrationNumber, owner, ct))
        {
            throw new DomainException(ErrorKind.Conflict, RegistryErrors.DuplicateCouncilRegistration,
                "This council registration is already registered.",
                "Another professional holds this registration number at this council.");
        }
    }

    private async Task<Versioned<Professional>> AdminChangeAsync(HprId id, string? ifMatch, string action, string? adminSubject,
        Func<Professional, Professional> change, CancellationToken ct) =>
        await AdminChange.ApplyAsync(await GetAsync(id, ct), ifMatch, change, store.ReplaceAsync,
            token => audit.RecordAdminChangeAsync(Ndhm.Audit.AuditChainKey.Professional(id.Value), action, "professional", id.Value, adminSubject, token), ct);
}
