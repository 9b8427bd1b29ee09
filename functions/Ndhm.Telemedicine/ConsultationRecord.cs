using Hl7.Fhir.Model;
using Ndhm.Fhir.Documents;
using Ndhm.Fhir;

namespace Ndhm.Telemedicine;

/// <summary>
/// The doctor's notes of a teleconsultation as an ABDM OPConsultRecord (the <c>Ndhm.Fhir</c> document builder): a
/// virtual encounter, the chief complaint and diagnosis as Conditions (the diagnosis coded when the doctor gave a
/// SNOMED CT code, its display the doctor's diagnosis text) and the advice as a CarePlan in a last, uncoded "Advice" section.
/// </summary>
public static class ConsultationRecord
{
    public const string IdentifierSystem = "https://ndhm.example/telemedicine/consultations";

    /// <summary>
    /// The advice's own section. OPConsultRecord's FollowUp slice takes Appointments only and no slice takes a
    /// CarePlan, but the section slicing is open at the end: an uncoded section after the sliced ones may carry it.
    /// </summary>
    public static readonly DocumentSection AdviceSection = new("Advice", new CodeableConcept { Text = "Advice" });

    public static bool HasNotes(EndInput notes) =>
        !string.IsNullOrWhiteSpace(notes.ChiefComplaint) || !string.IsNullOrWhiteSpace(notes.Diagnosis)
                                                          || !string.IsNullOrWhiteSpace(notes.Advice);

    public static string Build(Appointment appointment, EndInput notes, string patientName, string facilityName, DateTimeOffset now)
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"),
            Period = new Period { Start = (appointment.StartedAt ?? appointment.Start).ToString("o"), End = now.ToString("o") },
        };
        var builder = DocumentBundleBuilder.For(AbdmDocumentType.OPConsultation)
            .Identifier(IdentifierSystem, appointment.Id)
            .Date(now)
            .Title("Teleconsultation (" + ConsultationModes.Name(appointment.Mode) + ")")
            .Patient(new AbhaPatient(appointment.PatientNumber, null, patientName))
            .Practitioner(new HprPractitioner(appointment.DoctorHprId, appointment.DoctorName))
            .Organization(new HfrFacility(appointment.FacilityId, facilityName))
            .Encounter(encounter);
        if (!string.IsNullOrWhiteSpace(notes.ChiefComplaint))
            builder.Add(DocumentSection.ChiefComplaints, Condition(notes.ChiefComplaint.Trim(), null));
        if (!string.IsNullOrWhiteSpace(notes.Diagnosis) || notes.ConditionCode is not null)
            builder.Add(DocumentSection.MedicalHistory, Condition(notes.Diagnosis?.Trim() is { Length: > 0 } d ? d : "Condition", notes.ConditionCode?.Trim()));
        if (!string.IsNullOrWhiteSpace(notes.Advice))
            builder.Add(AdviceSection, new CarePlan
            {
                Status = RequestStatus.Active,
                Intent = CarePlan.CarePlanIntent.Plan,
                Title = "Advice",
                Description = notes.Advice.Trim(),
            });
        return FhirJson.Serialize(builder.Build());
    }

    // ABDM wants a display on every SNOMED CT coding and the platform has no terminology server: the display is the
    // doctor's own wording of the diagnosis, or the concept id when the doctor gave only the code.
    private static Condition Condition(string text, string? snomedCode) => new()
    {
        Code = new CodeableConcept
        {
            Text = text,
            Coding = snomedCode is null ? [] : [new Coding("http://snomed.info/sct", snomedCode, text == "Condition" ? "SNOMED CT " + snomedCode : text)],
        },
    };
}
