using Ndhm.Audit;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.Nominees;

/// <summary>
/// The patient's nominee: named, read, replaced and removed by the patient; activated and deactivated by a platform
/// admin on evidence of death or incapacity. Every step is recorded on the patient's audit chain (resource
/// <c>nominee</c>) before it takes effect or its data is returned.
/// </summary>
public sealed class NomineeService(INominationStore nominations, AbhaAccountLookup lookup, HealthIdAudit audit, TimeProvider time)
{
    public const string ResourceType = "nominee";
    public const string SetAction = "nominee.set";
    public const string ReplaceAction = "nominee.replace";
    public const string ReadAction = "nominee.read";
    public const string RemoveAction = "nominee.remove";
    public const string ActivateAction = "nominee.activate";
    public const string DeactivateAction = "nominee.deactivate";
    public const string NotActive = "NOMINEE_NOT_ACTIVE";

    /// <summary>
    /// Names (or replaces) the patient's nominee. The nominee must hold another, active ABHA (NOMINEE_SELF,
    /// NOMINEE_NOT_ELIGIBLE otherwise: unknown and inactive look alike). A new or replaced nomination is never active.
    /// </summary>
    public async Task<Nomination> SetAsync(AbhaNumber patient, NomineeDetails nominee, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nominee);
        var account = await lookup.RequireNotDeletedAsync(patient, ct).ConfigureAwait(false);
        if (account.Status != AbhaStatus.Active)
            throw new DomainException(ErrorKind.Conflict, HealthIdErrors.AccountDeactivated, "ABHA deactivated",
                "This ABHA is deactivated; reactivate it first.");
        var holder = (await lookup.FindAsync(nominee.AbhaAddress.Value, ct).ConfigureAwait(false))?.Value;
        if (holder?.AbhaNumber == patient) throw NomineeErrors.SelfNomination();
        if (holder is null || holder.Status != AbhaStatus.Active) throw NomineeErrors.Ineligible();

        var stored = await nominations.FindAsync(patient, ct).ConfigureAwait(false);
        await RecordAsync(patient, stored is null ? SetAction : ReplaceAction, NomineeRules.Code(nominee.Relationship), null, ct).ConfigureAwait(false);
        var nomination = Nomination.Name(patient, nominee, holder.AbhaNumber, time.GetUtcNow());
        if (stored is null) await nominations.CreateAsync(nomination, ct).ConfigureAwait(false);
        else await nominations.ReplaceAsync(nomination, stored.ETag, ct).ConfigureAwait(false);
        return nomination;
    }

    /// <summary>The patient's nominee (NOMINEE_NOT_FOUND without one); the read is recorded.</summary>
    public async Task<Nomination> GetAsync(AbhaNumber patient, CancellationToken ct)
    {
        var stored = await nominations.FindAsync(patient, ct).ConfigureAwait(false) ?? throw NomineeErrors.None();
        await RecordAsync(patient, ReadAction, null, null, ct).ConfigureAwait(false);
        return stored.Value;
    }

    public async Task RemoveAsync(AbhaNumber patient, CancellationToken ct)
    {
        var stored = await nominations.FindAsync(patient, ct).ConfigureAwait(false) ?? throw NomineeErrors.None();
        await RecordAsync(patient, RemoveAction, null, null, ct).ConfigureAwait(false);
        await nominations.DeleteAsync(patient, stored.ETag, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A platform admin's activation on evidence (<paramref name="evidenceReference"/>, required) of the patient's death or
    /// incapacity: from now on <see cref="INomineeAuthority"/> lets the nominee act. Repeating it records a new decision.
    /// </summary>
    public async Task<Nomination> ActivateAsync(AbhaNumber patient, NominationActivationReason reason, string evidenceReference, string decidedBy,
        CancellationToken ct)
    {
        var evidence = NomineeRules.Evidence(evidenceReference, required: true);
        var stored = await RequireForAdminAsync(patient, ct).ConfigureAwait(false);
        await RecordAsync(patient, ActivateAction, "ACTIVE", NomineeRules.Code(reason), ct).ConfigureAwait(false);
        var activated = stored.Value.Activate(reason, evidence, decidedBy, time.GetUtcNow());
        await nominations.ReplaceAsync(activated, stored.ETag, ct).ConfigureAwait(false);
        return activated;
    }

    /// <summary>Ends an activation (the patient recovered, or it was entered in error); NOMINEE_NOT_ACTIVE when it is not active.</summary>
    public async Task<Nomination> DeactivateAsync(AbhaNumber patient, NominationDeactivationReason reason, string? evidenceReference, string decidedBy,
        CancellationToken ct)
    {
        var evidence = NomineeRules.Evidence(evidenceReference, required: false);
        var stored = await RequireForAdminAsync(patient, ct).ConfigureAwait(false);
        if (!stored.Value.IsActive)
            throw new DomainException(ErrorKind.Conflict, NotActive, "The nomination is not active", "Only an activated nomination can be deactivated.");
        await RecordAsync(patient, DeactivateAction, "NOMINATED", NomineeRules.Code(reason), ct).ConfigureAwait(false);
        var deactivated = stored.Value.Deactivate(reason, evidence.Length == 0 ? null : evidence, decidedBy, time.GetUtcNow());
        await nominations.ReplaceAsync(deactivated, stored.ETag, ct).ConfigureAwait(false);
        return deactivated;
    }

    private async Task<Core.Concurrency.Versioned<Nomination>> RequireForAdminAsync(AbhaNumber patient, CancellationToken ct)
    {
        await lookup.RequireNotDeletedAsync(patient, ct).ConfigureAwait(false);
        return await nominations.FindAsync(patient, ct).ConfigureAwait(false) ?? throw NomineeErrors.None();
    }

    private Task RecordAsync(AbhaNumber patient, string action, string? outcome, string? purpose, CancellationToken ct) =>
        audit.RecordPatientAsync(patient, action, new AuditResource(ResourceType, patient.Digits), outcome, purpose, ct);
}
