using Hl7.Fhir.Model;

namespace Ndhm.Fhir.Documents;

/// <summary>
/// Fills what every clinical resource of a document shares (who it is about, who ordered or performed it) and
/// tags it with the IG profile for its type, leaving anything the caller set alone.
/// </summary>
internal static class Participants
{
    private static readonly Dictionary<string, string> s_profiles = new(StringComparer.Ordinal)
    {
        ["MedicationRequest"] = AbdmProfiles.MedicationRequest,
        ["MedicationStatement"] = AbdmProfiles.MedicationStatement,
        ["Condition"] = AbdmProfiles.Condition,
        ["Observation"] = AbdmProfiles.Observation,
        ["DiagnosticReport"] = AbdmProfiles.DiagnosticReportLab,
        ["DocumentReference"] = AbdmProfiles.DocumentReference,
        ["Immunization"] = AbdmProfiles.Immunization,
        ["AllergyIntolerance"] = AbdmProfiles.AllergyIntolerance,
        ["Procedure"] = AbdmProfiles.Procedure,
        ["ServiceRequest"] = AbdmProfiles.ServiceRequest,
        ["Specimen"] = AbdmProfiles.Specimen,
        ["Binary"] = AbdmProfiles.Binary,
        ["Encounter"] = AbdmProfiles.Encounter,
    };

    public static void Fill(Resource resource, ResourceReference patient, ResourceReference? practitioner,
        ResourceReference? encounter)
    {
        if (s_profiles.TryGetValue(resource.TypeName, out var profile) && (resource.Meta?.Profile.Any() != true))
        {
            resource.Meta ??= new Meta();
            resource.Meta.Profile = [profile];
        }

        switch (resource)
        {
            case MedicationRequest r:
                r.Subject ??= Copy(patient);
                if (practitioner is not null)
                {
                    r.Requester ??= Copy(practitioner);
                }

                if (encounter is not null)
                {
                    r.Encounter ??= Copy(encounter);
                }

                break;
            case MedicationStatement r:
                r.Subject ??= Copy(patient);
                break;
            case Condition r:
                r.Subject ??= Copy(patient);
                break;
            case Observation r:
                r.Subject ??= Copy(patient);
                if (r.Performer.Count == 0 && practitioner is not null)
                {
                    r.Performer.Add(Copy(practitioner));
                }

                break;
            case DiagnosticReport r:
                r.Subject ??= Copy(patient);
                if (r.Performer.Count == 0 && practitioner is not null)
                {
                    r.Performer.Add(Copy(practitioner));
                }

                // The IG's DiagnosticReportLab requires who interpreted the results.
                if (r.ResultsInterpreter.Count == 0 && practitioner is not null)
                {
                    r.ResultsInterpreter.Add(Copy(practitioner));
                }

                break;
            case DocumentReference r:
                r.Subject ??= Copy(patient);
                break;
            case Immunization r:
                r.Patient ??= Copy(patient);
                break;
            case AllergyIntolerance r:
                r.Patient ??= Copy(patient);
                break;
            case Procedure r:
                r.Subject ??= Copy(patient);
                break;
            case ServiceRequest r:
                r.Subject ??= Copy(patient);
                if (practitioner is not null)
                {
                    r.Requester ??= Copy(practitioner);
                }

                break;
            case Specimen r:
                r.Subject ??= Copy(patient);
                break;
            case Encounter r:
                r.Subject ??= Copy(patient);
                break;
            case CarePlan r:
                r.Subject ??= Copy(patient);
                break;
            case FamilyMemberHistory r:
                r.Patient ??= Copy(patient);
                break;
            case Invoice r:
                r.Subject ??= Copy(patient);
                break;
            case Appointment r when r.Participant.Count == 0:
                r.Participant.Add(new Appointment.ParticipantComponent
                {
                    Actor = Copy(patient),
                    Status = ParticipationStatus.Accepted,
                });
                break;
        }
    }

    private static ResourceReference Copy(ResourceReference reference) => new(reference.Reference, reference.Display);
}
