using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;

namespace Ndhm.Fhir.Tests;

/// <summary>What an HIP would write for each document type, through the builder.</summary>
internal static class SampleDocuments
{
    public static readonly DateTimeOffset When = new(2026, 11, 25, 10, 30, 0, TimeSpan.FromHours(5.5));

    public static readonly AbhaPatient Patient =
        new("91-1234-5678-9012", "asha.rao@sbx", "Asha Rao", AdministrativeGender.Female, new DateOnly(1988, 4, 2), "+919800000001");

    public static readonly HprPractitioner Doctor = new("71-4411-2233-9876", "Dr. Meera Iyer");
    public static readonly HfrFacility Clinic = new("IN2810014366", "City Health Clinic");

    private static CodeableConcept Sct(string code, string display) =>
        new() { Coding = [new Coding("http://snomed.info/sct", code, display)], Text = display };

    private static DocumentBundleBuilder Start(AbdmDocumentType type) =>
        DocumentBundleBuilder.For(type).Date(When).Patient(Patient).Practitioner(Doctor).Organization(Clinic);

    public static MedicationRequest Paracetamol() => new()
    {
        Status = MedicationRequest.MedicationrequestStatus.Active,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = Sct("322236009", "Paracetamol 500 mg oral tablet"),
        AuthoredOn = "2026-11-25",
        DosageInstruction = [new Dosage { Text = "One tablet three times a day after food for 3 days" }],
    };

    private static Condition Fever() => new()
    {
        ClinicalStatus = new CodeableConcept
        {
            Coding = [new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")],
        },
        Code = Sct("386661006", "Fever"),
    };

    public static Bundle Build(AbdmDocumentType type) => type switch
    {
        AbdmDocumentType.Prescription => Start(type).Add(Paracetamol()).Build(),
        AbdmDocumentType.OPConsultation => OpConsultation(),
        AbdmDocumentType.DiagnosticReport => DiagnosticReport(),
        AbdmDocumentType.DischargeSummary => DischargeSummary(),
        AbdmDocumentType.ImmunizationRecord => Start(type).Add(new Immunization
        {
            Status = Immunization.ImmunizationStatusCodes.Completed,
            VaccineCode = Sct("1119305005", "COVID-19 antigen vaccine"),
            Occurrence = new FhirDateTime("2026-11-20"),
            PrimarySource = true,
            LotNumber = "BX-2026-11",
        }).Build(),
        AbdmDocumentType.HealthDocumentRecord => Start(type).Add(new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            Type = Sct("4241000179101", "Laboratory report"),
            Content = [new DocumentReference.ContentComponent
            {
                Attachment = new Attachment
                {
                    ContentType = "application/pdf",
                    Language = "en-IN",
                    Title = "Scanned report",
                    Data = Convert.FromBase64String("JVBERi0xLjcNCg=="),
                    Creation = "2026-11-25",
                },
            }],
        }).Build(),
        AbdmDocumentType.WellnessRecord => Start(type).Add(new Observation
        {
            Meta = new Meta { Profile = ["https://nrces.in/ndhm/fhir/r4/StructureDefinition/ObservationVitalSigns"] },
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept
            {
                Coding = [new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
            }],
            Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "8867-4", "Heart rate")], Text = "Heart rate" },
            Effective = new FhirDateTime("2026-11-25T10:00:00+05:30"),
            Value = new Quantity(72, "/min", "http://unitsofmeasure.org") { Unit = "beats/minute" },
        }).Build(),
        AbdmDocumentType.Invoice => Start(type).Add(new Invoice
        {
            Status = Invoice.InvoiceStatus.Issued,
            Date = "2026-11-25",
            TotalGross = new Money { Value = 500m, Currency = Money.Currencies.INR },
            TotalNet = new Money { Value = 500m, Currency = Money.Currencies.INR },
        }).Build(),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static Bundle OpConsultation()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"),
            Period = new Period { Start = "2026-11-25T10:00:00+05:30", End = "2026-11-25T10:20:00+05:30" },
        };
        var allergy = new AllergyIntolerance
        {
            ClinicalStatus = new CodeableConcept
            {
                Coding = [new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", "Active")],
            },
            Code = Sct("227493005", "Cashew nuts"),
        };
        return Start(AbdmDocumentType.OPConsultation)
            .Encounter(encounter)
            .Add(Fever())
            .Add(allergy)
            .Add(Paracetamol())
            .Build();
    }

    private static Bundle DiagnosticReport()
    {
        var builder = Start(AbdmDocumentType.DiagnosticReport);
        var haemoglobin = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "718-7", "Hemoglobin [Mass/volume] in Blood")], Text = "Haemoglobin" },
            Value = new Quantity(13.2m, "g/dL", "http://unitsofmeasure.org") { Unit = "g/dL" },
        };
        var report = new DiagnosticReport
        {
            Status = Hl7.Fhir.Model.DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [Sct("4241000179101", "Laboratory report")],
            Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "58410-2", "CBC panel - Blood by Automated count")], Text = "Complete blood count" },
            Issued = When,
            Effective = new FhirDateTime("2026-11-25T09:00:00+05:30"),
            Result = [DocumentBundleBuilder.Reference(haemoglobin)],
            Conclusion = "Normal haemoglobin",
        };
        return builder.Include(haemoglobin).Add(report).Build();
    }

    private static Bundle DischargeSummary()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"),
            Period = new Period { Start = "2026-11-20T10:00:00+05:30", End = "2026-11-25T10:00:00+05:30" },
            Hospitalization = new Encounter.HospitalizationComponent
            {
                DischargeDisposition = new CodeableConcept
                {
                    Coding = [new Coding("http://terminology.hl7.org/CodeSystem/discharge-disposition", "home", "Home")],
                },
            },
        };
        return Start(AbdmDocumentType.DischargeSummary)
            .Encounter(encounter)
            .Add(Fever())
            .Add(Paracetamol())
            .Build();
    }
}
