using Hl7.Fhir.Model;

namespace Ndhm.Fhir.Documents;

/// <summary>The ABDM health-information document types (consent artefact hiTypes).</summary>
public enum AbdmDocumentType
{
    OPConsultation,
    Prescription,
    DiagnosticReport,
    DischargeSummary,
    ImmunizationRecord,
    HealthDocumentRecord,
    WellnessRecord,
    Invoice,
}

/// <summary>
/// What identifies each document type in FHIR: the IG profile on the Composition and its Composition.type.
/// </summary>
/// <param name="Type">The document type.</param>
/// <param name="HiType">The consent artefact hiType string (<c>OPConsultation</c>, <c>Prescription</c>, ...).</param>
/// <param name="ProfileName">The Composition profile's name in the IG (<c>PrescriptionRecord</c>, ...).</param>
/// <param name="SnomedCode">Composition.type SNOMED CT code; null where the IG types the record by text only.</param>
/// <param name="Display">Display for the code, and Composition.type.text.</param>
/// <param name="ProfileInIg">False where IG 2.0.1 has no profile yet (InvoiceRecord arrived in a later release).</param>
public sealed record AbdmDocumentKind(
    AbdmDocumentType Type,
    string HiType,
    string ProfileName,
    string? SnomedCode,
    string Display,
    bool ProfileInIg)
{
    /// <summary>The IG profile canonical for this document's Composition.</summary>
    public string CompositionProfile => AbdmProfiles.Base + ProfileName;

    /// <summary>Composition.type as the IG expects it.</summary>
    public CodeableConcept CompositionType() =>
        SnomedCode is null
            ? new CodeableConcept { Text = Display }
            : new CodeableConcept(AbdmProfiles.Snomed, SnomedCode, Display, Display);

    /// <summary>True when <paramref name="type"/> is this document's Composition.type.</summary>
    public bool Matches(CodeableConcept? type)
    {
        if (type is null)
        {
            return false;
        }

        return SnomedCode is null
            ? string.Equals(type.Text?.Trim(), Display, StringComparison.OrdinalIgnoreCase)
              || type.Coding.Any(c => string.Equals(c.Display?.Trim(), Display, StringComparison.OrdinalIgnoreCase))
            : type.Coding.Any(c => c.System == AbdmProfiles.Snomed && c.Code == SnomedCode);
    }

    public override string ToString() =>
        SnomedCode is null ? $"{ProfileName} (text \"{Display}\")" : $"{ProfileName} (SNOMED {SnomedCode} {Display})";
}

/// <summary>Canonicals of the NRCeS ABDM IG 2.0.1 and the document-type table.</summary>
public static class AbdmProfiles
{
    public const string Base = "https://nrces.in/ndhm/fhir/r4/StructureDefinition/";
    public const string Snomed = "http://snomed.info/sct";
    public const string DocumentBundle = Base + "DocumentBundle";
    public const string Patient = Base + "Patient";
    public const string Practitioner = Base + "Practitioner";
    public const string Organization = Base + "Organization";
    public const string Encounter = Base + "Encounter";
    public const string MedicationRequest = Base + "MedicationRequest";
    public const string MedicationStatement = Base + "MedicationStatement";
    public const string Condition = Base + "Condition";
    public const string Observation = Base + "Observation";
    public const string DiagnosticReportLab = Base + "DiagnosticReportLab";
    public const string DiagnosticReportImaging = Base + "DiagnosticReportImaging";
    public const string DocumentReference = Base + "DocumentReference";
    public const string Immunization = Base + "Immunization";
    public const string AllergyIntolerance = Base + "AllergyIntolerance";
    public const string Procedure = Base + "Procedure";
    public const string ServiceRequest = Base + "ServiceRequest";
    public const string Specimen = Base + "Specimen";
    public const string Binary = Base + "Binary";

    /// <summary>ABHA number identifier system (the IG's examples use it on Patient.identifier).</summary>
    public const string AbhaNumberSystem = "https://healthid.ndhm.gov.in";

    /// <summary>ABHA address identifier system.</summary>
    public const string AbhaAddressSystem = "https://healthid.abdm.gov.in/abha-address";

    private static readonly AbdmDocumentKind[] s_kinds =
    [
        new(AbdmDocumentType.OPConsultation, "OPConsultation", "OPConsultRecord", "371530004", "Clinical consultation report", true),
        new(AbdmDocumentType.Prescription, "Prescription", "PrescriptionRecord", "440545006", "Prescription record", true),
        new(AbdmDocumentType.DiagnosticReport, "DiagnosticReport", "DiagnosticReportRecord", "721981007", "Diagnostic studies report", true),
        new(AbdmDocumentType.DischargeSummary, "DischargeSummary", "DischargeSummaryRecord", "373942005", "Discharge summary", true),
        new(AbdmDocumentType.ImmunizationRecord, "ImmunizationRecord", "ImmunizationRecord", "41000179103", "Immunization record", true),
        new(AbdmDocumentType.HealthDocumentRecord, "HealthDocumentRecord", "HealthDocumentRecord", "419891008", "Record artifact", true),
        new(AbdmDocumentType.WellnessRecord, "WellnessRecord", "WellnessRecord", null, "Wellness Record", true),
        new(AbdmDocumentType.Invoice, "Invoice", "InvoiceRecord", null, "Invoice Record", false),
    ];

    public static IReadOnlyList<AbdmDocumentKind> All => s_kinds;

    public static AbdmDocumentKind For(AbdmDocumentType type) => s_kinds[(int)type];

    /// <summary>The document kind whose Composition profile is <paramref name="profile"/> (version suffix ignored).</summary>
    public static AbdmDocumentKind? ForProfile(string? profile)
    {
        if (profile is null)
        {
            return null;
        }

        var bar = profile.IndexOf('|');
        var url = bar >= 0 ? profile[..bar] : profile;
        return s_kinds.FirstOrDefault(k => k.CompositionProfile == url);
    }

    /// <summary>The document kind whose Composition.type is <paramref name="type"/>.</summary>
    public static AbdmDocumentKind? ForCompositionType(CodeableConcept? type) => s_kinds.FirstOrDefault(k => k.Matches(type));
}
