using Ndhm.Core.Concurrency;
using Ndhm.HealthId.Numbers;

namespace Ndhm.HealthId.Nominees;

/// <summary>One nomination document per patient, replaced with If-Match (a lost race is CONCURRENT_UPDATE, 412).</summary>
public interface INominationStore
{
    Task<Versioned<Nomination>?> FindAsync(AbhaNumber patient, CancellationToken ct);

    /// <summary>Create-only; CONCURRENT_UPDATE when one was created meanwhile.</summary>
    Task<string> CreateAsync(Nomination nomination, CancellationToken ct);

    Task<string> ReplaceAsync(Nomination nomination, string ifMatch, CancellationToken ct);

    /// <summary>Deletes the patient's nomination (with <paramref name="ifMatch"/> when given); false when there was none.</summary>
    Task<bool> DeleteAsync(AbhaNumber patient, string? ifMatch, CancellationToken ct);
}

/// <summary>
/// Whether someone may act for a patient as their nominee: the port the consent manager (and any capability acting on
/// a patient's behalf) asks before it lets a nominee grant, deny or revoke for the patient.
/// </summary>
public interface INomineeAuthority
{
    /// <summary>
    /// Who acts, when <paramref name="actor"/> (an ABHA number or address, e.g. a PATIENT token's subject) is the
    /// patient's nominee, the nomination is activated, and the nominee's own account is active; otherwise null.
    /// <paramref name="patient"/> is the patient's ABHA number or address.
    /// </summary>
    Task<NomineeActing?> CanActForAsync(string actor, string patient, CancellationToken ct);
}
