using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Pharmacy.Fulfilment;

/// <summary>
/// What the patient's app lists: their own prescriptions (to share one with a pharmacy) and their shares with the
/// quotes and the order picked (to follow it), newest first. Only the caller's own: anything the index returns for
/// another patient is dropped. Each listing is on the patient's audit chain.
/// </summary>
public sealed class PatientPharmacyListing(IPatientPharmacyIndex index, PharmacyAudit audit)
{
    /// <summary>How many of each a listing returns (a patient's prescriptions of the last months fit easily).</summary>
    public const int MaxItems = 50;

    public async Task<IReadOnlyList<Prescription>> PrescriptionsAsync(string patientNumber, CancellationToken ct)
    {
        var mine = (await index.PrescriptionsAsync(patientNumber, MaxItems, ct))
            .Where(p => p.PatientNumber == patientNumber).OrderByDescending(p => p.IssuedAt).Take(MaxItems).ToList();
        await audit.RecordAsync(patientNumber, "prescription.list", PharmacyAudit.PrescriptionResource, "patient", $"listed {mine.Count}", ct);
        return mine;
    }

    public async Task<IReadOnlyList<PrescriptionShare>> SharesAsync(string patientNumber, CancellationToken ct)
    {
        var mine = (await index.SharesAsync(patientNumber, MaxItems, ct))
            .Where(s => s.PatientNumber == patientNumber).OrderByDescending(s => s.CreatedAt).Take(MaxItems).ToList();
        await audit.RecordAsync(patientNumber, "prescription-share.list", PharmacyAudit.ShareResource, "patient", $"listed {mine.Count}", ct);
        return mine;
    }
}
