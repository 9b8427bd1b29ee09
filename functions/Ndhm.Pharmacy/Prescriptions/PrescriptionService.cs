using System.Globalization;
using Ndhm.Core.Errors;
using Ndhm.Core.Records;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Consultations;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Tpg;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Pharmacy.Prescriptions;

/// <summary>
/// Issuing e-prescriptions: the consultation's own doctor (verified and active in the professionals registry)
/// prescribes from the catalogue within the Telemedicine Practice Guidelines; the prescription becomes a signed
/// PrescriptionRecord document, stored encrypted with its dispensing ledger, and the issue is audited. The document is
/// then added to the patient's health record and linked as a care context (<c>RX-&lt;prescription id&gt;</c>) of the
/// doctor's facility.
/// </summary>
public sealed class PrescriptionService(
    IConsultationFacts consultations,
    IProfessionalRegistry professionals,
    IFacilityRegistry facilities,
    DrugCatalogue catalogue,
    PrescriptionSigner signer,
    IPrescriptionStore store,
    IDispensingLedgerStore ledgers,
    PharmacyAudit audit,
    PharmacyOptions options,
    TimeProvider time,
    IProviderRecords providerRecords)
{
    /// <param name="prescriptionId">
    /// The id from the doctor's Idempotency-Key (<see cref="IdFor"/>): a retry after a failure returns, and finishes, the
    /// prescription the first attempt stored instead of issuing a second one; null for a fresh id.
    /// </param>
    public async Task<Prescription> IssueAsync(string doctorHprId, string consultationId, PrescriptionInput? input, CancellationToken ct,
        string? prescriptionId = null)
    {
        var items = PrescriptionValidation.Validate(input, catalogue);
        var facts = await consultations.FindAsync(consultationId, ct)
                    ?? throw new DomainException(ErrorKind.NotFound, PharmacyErrors.ConsultationNotFound, "No such consultation.");
        if (facts.DoctorHprId != doctorHprId)
            throw new DomainException(ErrorKind.Forbidden, PharmacyErrors.NotTheConsultingDoctor, "Only the consultation's doctor may prescribe in it.");
        if (!facts.AllowsPrescribing)
            throw new DomainException(ErrorKind.Conflict, PharmacyErrors.ConsultationNotPrescribable, "The consultation does not allow prescribing now.",
                $"The consultation is {facts.Status}; a prescription is issued during or after the consultation.",
                new Dictionary<string, object?> { ["currentStatus"] = facts.Status.ToString() });
        var violations = TelemedicineRules.CheckAll(items.Select(i => i.Drug), facts, input!.ConditionCode);
        if (violations.Count > 0) throw TelemedicineRules.Refusal(violations);
        if (prescriptionId is not null && await store.FindAsync(prescriptionId, ct) is { } earlier)
        {
            if (earlier.DoctorHprId != doctorHprId || earlier.ConsultationId != consultationId)
                throw PharmacyErrors.Invalid(PharmacyErrors.InvalidPrescription, "This Idempotency-Key already issued a prescription in another consultation.");
            await AddToHealthRecordAsync(earlier, ct); // the first attempt may have stopped before this step
            return earlier;
        }

        var doctor = await professionals.EnsureVerifiedPractitionerAsync(HprId.Parse(doctorHprId), ct);
        var facilityName = FacilityId.TryParse(facts.FacilityId, out var facilityId) && await facilities.FindAsync(facilityId, ct) is { } facility
            ? facility.Name
            : facts.FacilityId;
        var now = time.GetUtcNow();
        var prescription = new Prescription(prescriptionId ?? Guid.NewGuid().ToString(), facts.ConsultationId, doctorHprId, doctor.Name, facts.PatientId, facts.FacilityId,
            Clean(input.ConditionCode), Clean(input.ConditionText), now, now.AddDays(options.PrescriptionValidityDays),
            items.Select((item, index) => Item(index + 1, item.Input, item.Drug)).ToList(), Clean(input.Notes), "");
        var bundle = PrescriptionDocument.Build(prescription, facilityName);
        prescription = prescription with { SignedBundle = await signer.SignAsync(bundle, doctorHprId, prescription.Id, now, ct) };

        if (prescriptionId is null || await ledgers.FindAsync(prescription.Id, ct) is null) // a keyed retry's first attempt may have made it
            await ledgers.CreateAsync(new DispensingLedger(prescription.Id, prescription.PatientNumber,
                prescription.Items.Select(i => new LedgerItem(i.Line, i.DrugCode, i.Quantity)).ToList(), []), ct);
        await store.CreateAsync(prescription, ct);
        await audit.RecordAsync(prescription.PatientNumber, "prescription.issue", PharmacyAudit.PrescriptionResource, prescription.Id,
            $"issued {prescription.Items.Count} items", ct);
        await AddToHealthRecordAsync(prescription, ct);
        return prescription;
    }

    /// <summary>The prescription id a doctor's <c>Idempotency-Key</c> gives (null without one).</summary>
    public static string? IdFor(string doctorHprId, string? idempotencyKey) =>
        Ndhm.Core.Ids.DerivedIds.ForIdempotencyKey("prescription-issue", doctorHprId, idempotencyKey, PharmacyErrors.InvalidPrescription);

    /// <summary>The care context a prescription is linked under at the doctor's facility.</summary>
    public static string CareContextReference(string prescriptionId) => "RX-" + prescriptionId;

    /// <summary>
    /// Adds the signed PrescriptionRecord to the patient's health record and links it as a care context of the doctor's
    /// facility; idempotent (calling it again for the same prescription adds and links nothing twice).
    /// </summary>
    public Task AddToHealthRecordAsync(Prescription prescription, CancellationToken ct) =>
        providerRecords.AddAsync(new ProviderRecord(prescription.PatientNumber, prescription.FacilityId, CareContextReference(prescription.Id),
            string.Create(CultureInfo.InvariantCulture, $"E-prescription from {prescription.DoctorName}, {prescription.IssuedAt:d MMM yyyy}"),
            "Prescription", prescription.SignedBundle, prescription.IssuedAt, LinkAsCareContext: true, Author: prescription.DoctorHprId), ct);

    /// <summary>The patient's own prescription, or one the doctor issued; 404 for anyone else.</summary>
    public async Task<Prescription> GetAsync(string? patientNumber, string? doctorHprId, string prescriptionId, CancellationToken ct)
    {
        var prescription = await store.FindAsync(prescriptionId, ct);
        if (prescription is null || !((patientNumber is not null && prescription.PatientNumber == patientNumber)
                                      || (doctorHprId is not null && prescription.DoctorHprId == doctorHprId)))
            throw PharmacyErrors.PrescriptionMissing();
        await audit.RecordAsync(prescription.PatientNumber, "prescription.read", PharmacyAudit.PrescriptionResource, prescription.Id, "read", ct);
        return prescription;
    }

    private static PrescribedItem Item(int line, PrescriptionItemInput input, Drug drug) =>
        new(line, drug.Code, drug.Name, drug.Composition, drug.Strength, drug.Form, drug.Schedule, drug.List, input.Dosage!.Trim(),
            input.FrequencyPerDay!.Value, input.DurationDays!.Value, input.Quantity!.Value, input.SubstitutionAllowed ?? false, Clean(input.Instructions));

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
