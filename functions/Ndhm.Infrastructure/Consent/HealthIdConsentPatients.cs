using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;

namespace Ndhm.Infrastructure.Consent;

/// <summary>The patient behind an ABHA address, from Health ID's address claims (one point read). Only live accounts consent.</summary>
public sealed class HealthIdConsentPatients(AbhaAccountLookup lookup) : IConsentPatients
{
    public async Task<string?> FindNumberAsync(string abhaAddress, CancellationToken ct)
    {
        try
        {
            var view = await lookup.FindViewAsync(abhaAddress, ct);
            return view is { Status: AbhaStatus.Active } ? view.AbhaNumber.Digits : null;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            return null; // an address of another suffix (or none) names no patient here
        }
    }
}

/// <summary>
/// Until the data-rights capability's nominee authority is wired in, nobody acts for another patient: the safe default.
/// </summary>
public sealed class NoNominees : INomineeAuthority
{
    public Task<bool> CanActForAsync(string nomineeSubject, string patientNumber, CancellationToken ct) => Task.FromResult(false);
}
