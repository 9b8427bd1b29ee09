using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;

namespace Ndhm.DataTransfer.Partners.Hip;

/// <summary>
/// Small valid ABDM documents for sandbox HIPs and tests (built with <see cref="DocumentBundleBuilder"/>): a
/// prescription and an immunization record for a patient named by ABHA address.
/// </summary>
public static class SampleRecords
{
    private static readonly HprPractitioner Doctor = new("71-4411-2233-9876", "Dr. Meera Iyer");

    public static Bundle Prescription(string abhaAddress, string facilityId, DateTimeOffset at) =>
        Start(AbdmDocumentType.Prescription, abhaAddress, facilityId, at).Add(new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = Sct("322236009", "Paracetamol 500 mg oral tablet"),
            AuthoredOn = at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            DosageInstruction = [new Dosage { Text = "One tablet three times a day after food for 3 days" }],
        }).Build();

    public static Bundle Immunization(string abhaAddress, string facilityId, DateTimeOffset at) =>
        Start(AbdmDocumentType.ImmunizationRecord, abhaAddress, facilityId, at).Add(new Immunization
        {
            Status = Hl7.Fhir.Model.Immunization.ImmunizationStatusCodes.Completed,
            VaccineCode = Sct("1119305005", "COVID-19 antigen vaccine"),
            Occurrence = new FhirDateTime(at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            PrimarySource = true,
            LotNumber = "BX-2026-11",
        }).Build();

    private static DocumentBundleBuilder Start(AbdmDocumentType type, string abhaAddress, string facilityId, DateTimeOffset at) =>
        DocumentBundleBuilder.For(type).Date(at).Patient(new AbhaPatient(null, abhaAddress, "Sandbox Patient", AdministrativeGender.Unknown))
            .Practitioner(Doctor).Organization(new HfrFacility(facilityId, "Sandbox HIP"));

    private static CodeableConcept Sct(string code, string display) =>
        new() { Coding = [new Coding("http://snomed.info/sct", code, display)], Text = display };
}
