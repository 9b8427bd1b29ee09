using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;

namespace Ndhm.Benchmarks.Fhir;

/// <summary>
/// The three official NRCeS examples (tests/fhir-examples, copied beside the benchmark assembly by the project
/// file; the benchmarks run in process, so AppContext.BaseDirectory is that output folder), and an equivalent
/// document per example built with the builder.
/// </summary>
internal static class FhirBenchmarkData
{
    public const string Prescription = "Prescription-06";
    public const string OPConsult = "OPConsultNote-05";
    public const string DiagnosticReport = "DiagnosticReport-Lab-03";

    public static string ReadExample(string name)
    {
        var file = $"Bundle-{name.Replace("-0", "-example-0", StringComparison.Ordinal)}.json";
        return File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", file));
    }

    private static readonly DateTimeOffset When = new(2026, 11, 25, 10, 30, 0, TimeSpan.FromHours(5.5));

    private static CodeableConcept Sct(string code, string display) =>
        new() { Coding = [new Coding("http://snomed.info/sct", code, display)], Text = display };

    /// <summary>Builds the document an HIP would send for the example's type (same shape, fresh content).</summary>
    public static Bundle Build(string name)
    {
        var type = name switch
        {
            Prescription => AbdmDocumentType.Prescription,
            OPConsult => AbdmDocumentType.OPConsultation,
            _ => AbdmDocumentType.DiagnosticReport,
        };
        var builder = DocumentBundleBuilder.For(type)
            .Date(When)
            .Patient(new AbhaPatient("91-1234-5678-9012", "asha.rao@sbx", "Asha Rao", AdministrativeGender.Female))
            .Practitioner(new HprPractitioner("71-4411-2233-9876", "Dr. Meera Iyer"))
            .Organization(new HfrFacility("IN2810014366", "City Health Clinic"));

        var medication = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = Sct("322236009", "Paracetamol 500 mg oral tablet"),
            AuthoredOn = "2026-11-25",
            DosageInstruction = [new Dosage { Text = "One tablet three times a day after food" }],
        };

        switch (type)
        {
            case AbdmDocumentType.Prescription:
                return builder.Add(medication).Add(new MedicationRequest
                {
                    Status = MedicationRequest.MedicationrequestStatus.Active,
                    Intent = MedicationRequest.MedicationRequestIntent.Order,
                    Medication = Sct("324252006", "Azithromycin 250 mg oral capsule"),
                    AuthoredOn = "2026-11-25",
                    DosageInstruction = [new Dosage { Text = "One capsule once a day for 3 days" }],
                }).Build();
            case AbdmDocumentType.OPConsultation:
                return builder
                    .Encounter(new Encounter
                    {
                        Status = Encounter.EncounterStatus.Finished,
                        Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
                    })
                    .Add(new Condition { Code = Sct("386661006", "Fever") })
                    .Add(new AllergyIntolerance { Code = Sct("227493005", "Cashew nuts") })
                    .Add(medication)
                    .Build();
            default:
                var haemoglobin = new Observation
                {
                    Status = ObservationStatus.Final,
                    Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "718-7", "Hemoglobin [Mass/volume] in Blood")] },
                    Value = new Quantity(13.2m, "g/dL", "http://unitsofmeasure.org"),
                };
                return builder.Include(haemoglobin).Add(new Hl7.Fhir.Model.DiagnosticReport
                {
                    Status = Hl7.Fhir.Model.DiagnosticReport.DiagnosticReportStatus.Final,
                    Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "58410-2", "CBC panel - Blood by Automated count")] },
                    Issued = When,
                    Result = [DocumentBundleBuilder.Reference(haemoglobin)],
                }).Build();
        }
    }
}
