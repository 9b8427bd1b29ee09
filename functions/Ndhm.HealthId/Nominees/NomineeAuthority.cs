using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.Privacy;

namespace Ndhm.HealthId.Nominees;

/// <summary>
/// <see cref="INomineeAuthority"/> over the stored nominations: the actor may act for the patient only while the
/// nomination is activated, the actor's own ABHA is the nominee's and is active, and the patient's data still exists.
/// Reads only (two or three point reads); the caller records the act, naming <see cref="NomineeActing.Describe"/>.
/// </summary>
public sealed class NomineeAuthority(INominationStore nominations, AbhaAccountLookup lookup) : INomineeAuthority
{
    public async Task<NomineeActing?> CanActForAsync(string actor, string patient, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(patient);
        try
        {
            var patientAccount = (await lookup.FindAsync(patient, ct).ConfigureAwait(false))?.Value;
            if (patientAccount is null || patientAccount.Status == AbhaStatus.Deleted) return null;
            var nomination = (await nominations.FindAsync(patientAccount.AbhaNumber, ct).ConfigureAwait(false))?.Value;
            if (nomination is not { IsActive: true, Activation: { } activation }) return null;
            var actorAccount = (await lookup.FindAsync(actor, ct).ConfigureAwait(false))?.Value;
            if (actorAccount is null || actorAccount.Status != AbhaStatus.Active || actorAccount.AbhaNumber != nomination.NomineeAbhaNumber)
                return null;
            return new NomineeActing(patientAccount.AbhaNumber, nomination.NomineeAbhaNumber, nomination.NomineeAbhaAddress,
                nomination.Relationship, activation.Reason, activation.DecidedAt);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Validation || e.Code == PrivacyErrors.SubjectErased)
        {
            // A malformed number or address names nobody; an erased patient has no one acting for them.
            return null;
        }
    }
}
