using Ndhm.Core.Errors;

namespace Ndhm.Linking;

/// <summary>The HIP the platform is for records its care providers write (not a registered partner: no bridge).</summary>
public static class PlatformHip
{
    /// <summary>The partner id a links document carries when the platform created it (no HIP partner linked there before).</summary>
    public const string PartnerId = "ndhm-platform";
}

/// <summary>
/// The platform, as the HIP of records its care providers write (a teleconsultation's OPConsultRecord, an
/// e-prescription), links them as care contexts of the doctor's facility to the patient's ABHA, through the same link
/// store as patient- and HIP-initiated linking (source <see cref="LinkSource.Platform"/>): the patient sees them under
/// the facility's links, and a consent for that facility's care contexts can name them. Idempotent: a care context
/// already linked there is left as it is (no second audit entry or notification). The patient is told as for a HIP's
/// new links (<see cref="IPatientNotifier.NotifyLinkedAsync"/>).
/// </summary>
public sealed class PlatformCareContextLinking(
    ICareContextLinkStore store,
    IPatientDirectory patients,
    IPatientNotifier notifier,
    LinkingAudit audit,
    LinkingOptions options,
    TimeProvider time)
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Links <paramref name="context"/> at <paramref name="facilityId"/>; true when this call linked it, false when it was
    /// linked already or no live ABHA account holds <paramref name="abhaNumber"/> (nothing to link to).
    /// </summary>
    /// <param name="abhaNumber">14 digits.</param>
    public async Task<bool> LinkAsync(string abhaNumber, string facilityId, CareContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(facilityId)) throw LinkingErrors.Invalid("facilityId is required.");
        if (string.IsNullOrWhiteSpace(context.ReferenceNumber) || string.IsNullOrWhiteSpace(context.Display))
            throw LinkingErrors.Invalid("The care context needs a reference and a display.");
        // No live ABHA account holds the number (e.g. erased): there is no ABHA to link to; the record stays in the PHR only.
        if (await patients.FindAsync(abhaNumber, ct) is not { } patient) return false;
        for (var attempt = 1; ; attempt++)
        {
            var current = (await store.FindLinksAsync(patient.AbhaNumber, facilityId, ct))?.Value;
            if (current?.Has(context.ReferenceNumber) == true) return false;
            try
            {
                if (attempt == 1)
                    await audit.RecordAsync(patient.AbhaNumber, "links.add", facilityId + "/" + context.ReferenceNumber, "PLATFORM", ct);
                // An existing links document keeps its partner and the HIP's patient reference; a new one is the platform's.
                await LinkWriter.AddAsync(store, patient.AbhaNumber, patient.AbhaAddress, new HipEndpoint(facilityId, current?.PartnerId ?? PlatformHip.PartnerId),
                    current?.PatientReference ?? patient.AbhaAddress, current?.PatientDisplay ?? patient.Name, [context], LinkSource.Platform,
                    time.GetUtcNow(), ct);
                break;
            }
            catch (DomainException e) when (e.Code == LinkingErrors.AlreadyLinked)
            {
                return false; // linked by a concurrent call meanwhile
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt < MaxAttempts)
            {
                // the links document changed (or was created) meanwhile: read it again
            }
        }

        await notifier.NotifyLinkedAsync(patient, facilityId, 1, HipInitiatedLinkingService.DeepLink(options, facilityId), ct);
        return true;
    }
}
