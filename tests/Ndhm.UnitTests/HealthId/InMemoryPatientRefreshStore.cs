using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Login;

namespace Ndhm.UnitTests.HealthId;

/// <summary>Patient refresh families in memory, with the adapter's ETag contract.</summary>
internal sealed class InMemoryPatientRefreshStore : IPatientRefreshStore
{
    private readonly Dictionary<string, Versioned<RefreshFamily>> families = new(StringComparer.Ordinal);
    private int version;

    public IReadOnlyCollection<RefreshFamily> All => families.Values.Select(f => f.Value).ToList();

    public Task<Versioned<RefreshFamily>?> GetAsync(string familyId, CancellationToken ct) => Task.FromResult(families.GetValueOrDefault(familyId));

    public Task<Versioned<RefreshFamily>?> ReloadAsync(RefreshFamily family, CancellationToken ct) => GetAsync(family.FamilyId, ct);

    public Task<Versioned<RefreshFamily>> CreateAsync(RefreshFamily family, CancellationToken ct)
    {
        if (families.ContainsKey(family.FamilyId)) throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "exists");
        return Task.FromResult(families[family.FamilyId] = new Versioned<RefreshFamily>(family, $"\"{++version}\""));
    }

    public Task<Versioned<RefreshFamily>> ReplaceAsync(RefreshFamily family, string ifMatch, CancellationToken ct)
    {
        if (!families.TryGetValue(family.FamilyId, out var stored) || stored.ETag != ifMatch)
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "Concurrent update");
        return Task.FromResult(families[family.FamilyId] = new Versioned<RefreshFamily>(family, $"\"{++version}\""));
    }
}
