using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.HealthId.Login;

namespace Ndhm.UnitTests.HealthId;

/// <summary>Patient refresh families in memory, with the adapter's ETag contract.</summary>
internal sealed class InMemoryPatientRefreshStore : IPatientRefreshStore
{
    private readonly Dictionary<string, RefreshFamily> families = new(StringComparer.Ordinal);
    private int version;

    public IReadOnlyCollection<RefreshFamily> All => families.Values;

    public Task<RefreshFamily?> GetAsync(string familyId, CancellationToken ct) => Task.FromResult(families.GetValueOrDefault(familyId));

    public Task<RefreshFamily?> ReloadAsync(RefreshFamily family, CancellationToken ct) => GetAsync(family.FamilyId, ct);

    public Task<RefreshFamily> CreateAsync(RefreshFamily family, CancellationToken ct)
    {
        if (families.ContainsKey(family.FamilyId)) throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "exists");
        return Task.FromResult(families[family.FamilyId] = family with { ETag = $"\"{++version}\"" });
    }

    public Task<RefreshFamily> ReplaceAsync(RefreshFamily family, CancellationToken ct)
    {
        if (!families.TryGetValue(family.FamilyId, out var stored) || stored.ETag != family.ETag)
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "Concurrent update");
        return Task.FromResult(families[family.FamilyId] = family with { ETag = $"\"{++version}\"" });
    }
}
