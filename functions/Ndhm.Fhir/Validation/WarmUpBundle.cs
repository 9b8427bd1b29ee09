using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;

namespace Ndhm.Fhir.Validation;

/// <summary>A small but realistic prescription, validated once to warm a validator up.</summary>
internal static class WarmUpBundle
{
    public static Bundle Create() =>
        DocumentBundleBuilder.For(AbdmDocumentType.Prescription)
            .Date(new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.FromHours(5.5)))
            .Patient(new AbhaPatient("91-0000-0000-0000", null, "Warm Up", AdministrativeGender.Female))
            .Practitioner(new HprPractitioner("71-0000-0000-0000", "Dr. Warm Up"))
            .Organization(new HfrFacility("IN2810014366", "Warm Up Clinic"))
            .Add(new MedicationRequest
            {
                Status = MedicationRequest.MedicationrequestStatus.Active,
                Intent = MedicationRequest.MedicationRequestIntent.Order,
                Medication = new CodeableConcept { Text = "Paracetamol 500 mg oral tablet" },
                AuthoredOn = "2026-01-01",
                DosageInstruction = [new Dosage { Text = "One tablet twice a day after food" }],
            })
            .Build();
}
