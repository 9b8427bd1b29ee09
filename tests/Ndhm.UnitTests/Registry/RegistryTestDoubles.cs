using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Registry.Common;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.UnitTests.Registry;

/// <summary>Plays back a fixed digit sequence (cycling), so ids are predictable.</summary>
internal sealed class SequenceRandom(params int[] values) : IRegistryRandom
{
    private int next;

    public int Next(int exclusiveMax) => values[next++ % values.Length] % exclusiveMax;
}

internal static class StatusFilterMatching
{
    /// <summary>What the Cosmos stores' status clause selects, for the in-memory stores.</summary>
    public static bool Admits(this StatusFilter filter, Deactivation? deactivation) =>
        filter == StatusFilter.All || (filter == StatusFilter.Active) == (deactivation is null);
}

internal sealed class InMemoryFacilityStore : IFacilityStore
{
    private int version;
    public Dictionary<string, Versioned<Facility>> Items { get; } = new();

    public Task<string?> TryCreateAsync(Facility facility, CancellationToken ct)
    {
        if (Items.ContainsKey(facility.Id.Value))
        {
            return Task.FromResult<string?>(null);
        }

        var etag = $"\"{++version}\"";
        Items[facility.Id.Value] = new(facility, etag);
        return Task.FromResult<string?>(etag);
    }

    public Task<Versioned<Facility>?> FindAsync(FacilityId id, CancellationToken ct) =>
        Task.FromResult(Items.GetValueOrDefault(id.Value));

    public Task<string> ReplaceAsync(Facility facility, string ifMatch, CancellationToken ct)
    {
        if (Items[facility.Id.Value].ETag != ifMatch)
        {
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "stale");
        }

        var etag = $"\"{++version}\"";
        Items[facility.Id.Value] = new(facility, etag);
        return Task.FromResult(etag);
    }

    public int Queries { get; private set; }

    public Task<IReadOnlyList<Facility>> QueryAsync(FacilityQuery query, string? afterId, int take, CancellationToken ct)
    {
        Queries++;
        IReadOnlyList<Facility> rows = Items.Values.Select(v => v.Value)
            .Where(f => query.Within is null || query.Within.Contains(f.Location))
            .Where(f => query.Verified is null || f.Verified == query.Verified)
            .Where(f => query.Status.Admits(f.Deactivation))
            .Where(f => afterId is null || string.CompareOrdinal(f.Id.Value, afterId) > 0)
            .OrderBy(f => f.Id.Value, StringComparer.Ordinal)
            .Take(take)
            .ToList();
        return Task.FromResult(rows);
    }
}

internal sealed class InMemoryProfessionalStore : IProfessionalStore
{
    private int version;

    /// <summary>Claimed keys and the HPR id holding each.</summary>
    public Dictionary<string, string> Claims { get; } = new();
    public Dictionary<string, Versioned<Professional>> Items { get; } = new();

    /// <summary>When set, the next replace fails as if another writer got there first.</summary>
    public bool LoseNextReplace { get; set; }

    private static string CouncilKey(string council, string registrationNumber) =>
        $"council:{council.ToLowerInvariant()}:{registrationNumber.ToLowerInvariant()}";

    public Task<bool> TryClaimCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct) =>
        Task.FromResult(Claim(CouncilKey(council, registrationNumber), owner));

    public Task ReleaseCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct)
    {
        var key = CouncilKey(council, registrationNumber);
        if (Claims.GetValueOrDefault(key) == owner.Value)
        {
            Claims.Remove(key);
        }

        return Task.CompletedTask;
    }

    public Task<bool> TryClaimAddressAsync(string hprAddress, HprId owner, CancellationToken ct) => Task.FromResult(Claim(hprAddress, owner));

    private bool Claim(string key, HprId owner) => Claims.TryAdd(key, owner.Value) || Claims[key] == owner.Value;

    public Task<string?> TryCreateAsync(Professional professional, CancellationToken ct)
    {
        var etag = $"\"{++version}\"";
        return Task.FromResult<string?>(Items.TryAdd(professional.Id.Value, new(professional, etag)) ? etag : null);
    }

    public Task<Versioned<Professional>?> FindAsync(HprId id, CancellationToken ct) => Task.FromResult(Items.GetValueOrDefault(id.Value));

    public Task<string> ReplaceAsync(Professional professional, string ifMatch, CancellationToken ct)
    {
        if (LoseNextReplace || Items[professional.Id.Value].ETag != ifMatch)
        {
            LoseNextReplace = false;
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "stale");
        }

        var etag = $"\"{++version}\"";
        Items[professional.Id.Value] = new(professional, etag);
        return Task.FromResult(etag);
    }

    public Task<IReadOnlyList<Professional>> QueryAsync(ProfessionalQuery query, string? afterId, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Professional>>(Items.Values.Select(v => v.Value)
            .Where(p => query.Status.Admits(p.Deactivation))
            .Where(p => afterId is null || string.CompareOrdinal(p.Id.Value, afterId) > 0)
            .OrderBy(p => p.Id.Value, StringComparer.Ordinal).Take(take).ToList());
}

internal static class Inputs
{
    // A PIN code of each state the tests use: the registry refuses a PIN of another state's postal circle.
    private static readonly Dictionary<string, string> SamplePincodes = new() { ["28"] = "520001", ["29"] = "560001", ["36"] = "500001" };

    public static FacilityInput Facility(string name = "City Hospital", string stateCode = "28", double lat = 17.385, double lon = 78.4867) =>
        new(name, "Hospital", "Private", ["Modern Medicine"],
            new FacilityAddressInput("1 Main Road", "Town", "District", stateCode, null, SamplePincodes.GetValueOrDefault(stateCode, "520001")),
            new GeoLocationInput(lat, lon),
            new FacilityContactInput("+91 40 1234 5678", null, null));

    public static ProfessionalInput Professional(string name = "Anita Sharma", string registration = "TSMC/12345", IReadOnlyList<string>? facilities = null) =>
        new(name, "doctor", "Telangana State Medical Council", registration, ["MBBS"], ["Cardiology"], ["English"], facilities ?? []);
}
