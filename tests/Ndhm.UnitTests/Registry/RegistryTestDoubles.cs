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
    public HashSet<string> Claims { get; } = new();
    public Dictionary<string, Versioned<Professional>> Items { get; } = new();

    public Task<bool> TryClaimCouncilRegistrationAsync(string council, string registrationNumber, HprId owner, CancellationToken ct) =>
        Task.FromResult(Claims.Add($"council:{council.ToLowerInvariant()}:{registrationNumber.ToLowerInvariant()}"));

    public Task<bool> TryClaimAddressAsync(string hprAddress, HprId owner, CancellationToken ct) => Task.FromResult(Claims.Add(hprAddress));

    public Task<string?> TryCreateAsync(Professional professional, CancellationToken ct)
    {
        var etag = $"\"{++version}\"";
        return Task.FromResult<string?>(Items.TryAdd(professional.Id.Value, new(professional, etag)) ? etag : null);
    }

    public Task<Versioned<Professional>?> FindAsync(HprId id, CancellationToken ct) => Task.FromResult(Items.GetValueOrDefault(id.Value));

    public Task<string> ReplaceAsync(Professional professional, string ifMatch, CancellationToken ct)
    {
        var etag = $"\"{++version}\"";
        Items[professional.Id.Value] = new(professional, etag);
        return Task.FromResult(etag);
    }

    public Task<IReadOnlyList<Professional>> QueryAsync(ProfessionalQuery query, string? afterId, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Professional>>(Items.Values.Select(v => v.Value).OrderBy(p => p.Id.Value).Take(take).ToList());
}

internal static class Inputs
{
    public static FacilityInput Facility(string name = "City Hospital", string stateCode = "28", double lat = 17.385, double lon = 78.4867) =>
        new(name, "Hospital", "Private", ["Modern Medicine"],
            new FacilityAddressInput("1 Main Road", "Hyderabad", "Hyderabad", stateCode, null, "500001"),
            new GeoLocationInput(lat, lon),
            new FacilityContactInput("+91 40 1234 5678", null, null));

    public static ProfessionalInput Professional(string name = "Anita Sharma", string registration = "TSMC/12345", IReadOnlyList<string>? facilities = null) =>
        new(name, "doctor", "Telangana State Medical Council", registration, ["MBBS"], ["Cardiology"], ["English"], facilities ?? []);
}
