namespace Ndhm.HealthId.Addresses;

/// <summary>
/// Port: which ABHA addresses are already claimed (by any account, including erased ones: an address once
/// issued is never handed to someone else, because health records elsewhere are threaded by it).
/// </summary>
public interface IAbhaAddressAvailability
{
    /// <summary>The subset of <paramref name="candidates"/> that is taken.</summary>
    Task<IReadOnlySet<AbhaAddress>> FindTakenAsync(IReadOnlyCollection<AbhaAddress> candidates, CancellationToken ct);
}
