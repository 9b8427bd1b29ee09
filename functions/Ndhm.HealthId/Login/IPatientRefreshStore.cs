using Ndhm.Core.Concurrency;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.HealthId.Login;

/// <summary>
/// Port: the refresh-token families of patient logins (one per login; owner = the ABHA number's 14 digits, no
/// binding), found by family id alone since a patient's refresh request carries nothing else.
/// </summary>
public interface IPatientRefreshStore : IRefreshFamilyStore
{
    Task<Versioned<RefreshFamily>?> GetAsync(string familyId, CancellationToken ct);
}
