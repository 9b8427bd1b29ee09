using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;

namespace Ndhm.DataTransfer.Partners.Hip;

/// <summary>
/// Small valid ABDM documents for sandbox HIPs and tests (built with <see cref="DocumentBundleBuilder"/>): a
/// prescription and an immunization record for a patient named by ABHA address, and one record of each ABDM
/// hiType (<see cref="Of"/>) for HIPs whose care contexts carry every kind of record.
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

    /// <summary>A small valid document of <paramref name="type"/> (the seven ABDM hiTypes of IG 2.0.1; not Invoice).</summary>
    public static Bundle Of(AbdmDocumentType type, string abhaAddress, string facilityId, DateTimeOffset at)
    {
        var day = at.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var moment = at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        return type switch
        {
            AbdmDocumentType.Prescription => Prescription(abhaAddress, facilityId, at),
            AbdmDocumentType.ImmunizationRecord => Immunization(abhaAddress, facilityId, at),
            AbdmDocumentType.OPConsultation => Start(type, abhaAddress, facilityId, at)
                .Encounter(Visit("AMB", "ambulatory", moment, moment))
                .Add(Fever()).Add(Paracetamol(day)).Build(),
            AbdmDocumentType.DischargeSummary => Start(type, abhaAddress, facilityId, at)
                .Encounter(Discharged(Visit("IMP", "inpatient encounter", at.AddDays(-3).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture), moment)))
                .Add(Fever()).Add(Paracetamol(day)).Build(),
            AbdmDocumentType.DiagnosticReport => LabReport(Start(type, abhaAddress, facilityId, at), at, moment),
            AbdmDocumentType.HealthDocumentRecord => Start(type, abhaAddress, facilityId, at).Add(new DocumentReference
            {
                Status = DocumentReferenceStatus.Current,
                Type = Sct("4241000179101", "Laboratory report"),
                Content = [new DocumentReference.ContentComponent
                {
                    Attachment = new Attachment
                    {
                        ContentType = "application/pdf", Language = "en-IN", Title = "Scanned report",
                        Data = Convert.FromBase64String("JVBERi0xLjcNCg=="), Creation = day,
                    },
                }],
            }).Build(),
            AbdmDocumentType.WellnessRecord => Start(type, abhaAddress, facilityId, at).Add(new Observation
            {
                Meta = new Meta { Profile = ["https://nrces.in/ndhm/fhir/r4/StructureDefinition/ObservationVitalSigns"] },
                Status = ObservationStatus.Final,
                Category = [new CodeableConcept { Coding = [new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")] }],
                Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "8867-4", "Heart rate")], Text = "Heart rate" },
                Effective = new FhirDateTime(moment),
                Value = new Quantity(72, "/min", "http://unitsofmeasure.org") { Unit = "beats/minute" },
            }).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "No sample record of this type."),
        };
    }

    private static Bundle LabReport(DocumentBundleBuilder builder, DateTimeOffset at, string moment)
    {
        var haemoglobin = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "718-7", "Hemoglobin [Mass/volume] in Blood")], Text = "Haemoglobin" },
            Value = new Quantity(13.2m, "g/dL", "http://unitsofmeasure.org") { Unit = "g/dL" },
        };
        return builder.Include(haemoglobin).Add(new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [Sct("4241000179101", "Laboratory report")],
            Code = new CodeableConcept { Coding = [new Coding("http://loinc.org", "58410-2", "CBC panel - Blood by Automated count")], Text = "Complete blood count" },
            Issued = at,
            Effective = new FhirDateTime(moment),
            Result = [DocumentBundleBuilder.Reference(haemoglobin)],
            Conclusion = "Normal haemoglobin",
        }).Build();
    }

    private static Encounter Visit(string code, string display, string start, string end) => new()
    {
        Status = Encounter.EncounterStatus.Finished,
        Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", code, display),
        Period = new Period { Start = start, End = end },
    };

    private static Encounter Discharged(Encounter stay)
    {
        stay.Hospitalization = new Encounter.HospitalizationComponent
        {
            DischargeDisposition = new CodeableConcept { Coding = [new Coding("http://terminology.hl7.org/CodeSystem/discharge-disposition", "home", "Home")] },
        };
        return stay;
    }

    private static Condition Fever() => new()
    {
        ClinicalStatus = new CodeableConcept { Coding = [new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")] },
        Code = Sct("386661006", "Fever"),
    };

    private static MedicationRequest Paracetamol(string day) => new()
    {
        Status = MedicationRequest.MedicationrequestStatus.Active,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = Sct("322236009", "Paracetamol 500 mg oral tablet"),
        AuthoredOn = day,
        DosageInstruction = [new Dosage { Text = "One tablet three times a day after food for 3 days" }],
    };

    private static DocumentBundleBuilder Start(AbdmDocumentType type, string abhaAddress, string facilityId, DateTimeOffset at) =>
        DocumentBundleBuilder.For(type).Date(at).Patient(new AbhaPatient(null, abhaAddress, "Sandbox Patient", AdministrativeGender.Unknown))
            .Practitioner(Doctor).Organization(new HfrFacility(facilityId, "Sandbox HIP"));

    private static CodeableConcept Sct(string code, string display) =>
        new() { Coding = [new Coding("http://snomed.info/sct", code, display)], Text = display };
}
