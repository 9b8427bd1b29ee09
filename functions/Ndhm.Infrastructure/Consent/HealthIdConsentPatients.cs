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
/// Consent's nominee port over Health ID's nominations: the caller may act for the patient only while Health ID
/// vouches for it (nomination activated by an admin on death or incapacity, the nominee's own account active). The
/// consent records then name the nominee as the actor and the patient acted for.
/// </summary>
public sealed class HealthIdConsentNominees(Ndhm.HealthId.Nominees.INomineeAuthority nominees) : INomineeAuthority
{
    public async Task<bool> CanActForAsync(string nomineeSubject, string patientNumber, CancellationToken ct)
    {
        try
        {
            return await nominees.CanActForAsync(nomineeSubject, patientNumber, ct) is not null;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation)
        {
            return false; // not an ABHA number or address: nobody's nominee
        }
    }
}
