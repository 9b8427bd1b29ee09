using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Ndhm.Core.Errors;

namespace Ndhm.Fhir.Documents;

/// <summary>
/// The patient as ABDM knows them: an ABHA number (14 digits, shown XX-XXXX-XXXX-XXXX) and/or an ABHA address
/// (<c>name@sbx</c>, <c>name@abdm</c>). At least one is required. The ABHA number's Luhn check digit is the
/// Health ID capability's concern; here only its shape is checked.
/// </summary>
public sealed partial record AbhaPatient(
    string? AbhaNumber,
    string? AbhaAddress,
    string Name,
    AdministrativeGender? Gender = null,
    DateOnly? BirthDate = null,
    string? Phone = null)
{
    internal Patient ToResource()
    {
        if (string.IsNullOrWhiteSpace(AbhaNumber) && string.IsNullOrWhiteSpace(AbhaAddress))
        {
            throw DocumentBundleBuilder.Incomplete("the patient needs an ABHA number or an ABHA address");
        }

        var patient = new Patient { Meta = new Meta { Profile = [AbdmProfiles.Patient] } };
        if (!string.IsNullOrWhiteSpace(AbhaNumber))
        {
            var digits = AbhaNumber.Replace("-", "", StringComparison.Ordinal);
            if (!Digits14().IsMatch(digits))
            {
                throw DocumentBundleBuilder.Incomplete("an ABHA number has 14 digits (XX-XXXX-XXXX-XXXX)");
            }

            patient.Identifier.Add(new Identifier(AbdmProfiles.AbhaNumberSystem,
                $"{digits[..2]}-{digits[2..6]}-{digits[6..10]}-{digits[10..]}")
            {
                Type = Codes.Concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"),
            });
        }

        if (!string.IsNullOrWhiteSpace(AbhaAddress))
        {
            if (!AbhaAddressShape().IsMatch(AbhaAddress))
            {
                throw DocumentBundleBuilder.Incomplete("an ABHA address looks like name@abdm");
            }

            patient.Identifier.Add(new Identifier(AbdmProfiles.AbhaAddressSystem, AbhaAddress)
            {
                Type = Codes.Concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"),
            });
        }

        patient.Name.Add(new HumanName { Text = Name });
        patient.Gender = Gender;
        patient.BirthDate = BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (Phone is not null)
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, Phone));
        }

        return patient;
    }

    [GeneratedRegex("^[0-9]{14}$")]
    private static partial Regex Digits14();

    [GeneratedRegex("^[A-Za-z0-9._]{3,32}@[a-z]+$")]
    private static partial Regex AbhaAddressShape();
}

/// <summary>A health professional, identified by the HPR id (Health Professional Registry).</summary>
public sealed record HprPractitioner(string HprId, string Name)
{
    public const string System = "https://doctor.ndhm.gov.in";

    internal Practitioner ToResource() => new()
    {
        Meta = new Meta { Profile = [AbdmProfiles.Practitioner] },
        Identifier =
        [
            new Identifier(System, HprId)
            {
                Type = Codes.Concept("http://terminology.hl7.org/CodeSystem/v2-0203", "MD", "Medical License number"),
            },
        ],
        Name = [new HumanName { Text = Name }],
    };
}

/// <summary>A health facility, identified by the HFR id (Health Facility Registry, e.g. IN2810014366).</summary>
public sealed record HfrFacility(string HfrId, string Name)
{
    public const string System = "https://facility.ndhm.gov.in";

    internal Organization ToResource() => new()
    {
        Meta = new Meta { Profile = [AbdmProfiles.Organization] },
        Identifier =
        [
            new Identifier(System, HfrId)
            {
                Type = Codes.Concept("http://terminology.hl7.org/CodeSystem/v2-0203", "PRN", "Provider number"),
            },
        ],
        Name = Name,
    };
}

/// <summary>A Composition section: its title and code (the IG slices some documents' sections by code).</summary>
public sealed record DocumentSection(string Title, CodeableConcept? Code)
{
    private static DocumentSection Sct(string title, string code, string display) =>
        new(title, Codes.Concept(AbdmProfiles.Snomed, code, display));

    public static readonly DocumentSection ChiefComplaints = Sct("Chief complaints", "422843007", "Chief complaint section");
    public static readonly DocumentSection Allergies = Sct("Allergies", "722446000", "Allergy record");
    public static readonly DocumentSection MedicalHistory = Sct("Medical History", "371529009", "History and physical report");
    public static readonly DocumentSection InvestigationAdvice = Sct("Investigation Advice", "721963009", "Order document");
    public static readonly DocumentSection Medications = Sct("Medications", "721912009", "Medication summary document");
    public static readonly DocumentSection Procedure = Sct("Procedure", "371525003", "Clinical procedure report");
    public static readonly DocumentSection FollowUp = Sct("Follow Up", "736271009", "Outpatient care plan");
    public static readonly DocumentSection PhysicalExamination = Sct("Physical Examination", "425044008", "Physical exam section");
    public static readonly DocumentSection Prescription = Sct("Prescription record", "440545006", "Prescription record");
    public static readonly DocumentSection DiagnosticReport = Sct("Diagnostic Report", "721981007", "Diagnostic studies report");
    public static readonly DocumentSection Immunizations = Sct("Immunization record", "41000179103", "Immunization record");
    public static readonly DocumentSection HealthDocument = Sct("Health document", "419891008", "Record artifact");
    public static readonly DocumentSection Investigations = Sct("Investigations", "721981007", "Diagnostic studies report");
    public static readonly DocumentSection VitalSigns = new("Vital Signs", null);
    public static readonly DocumentSection OtherObservations = new("Other Observations", null);
    public static readonly DocumentSection Invoice = new("Invoice", null);
}

internal static class Codes
{
    /// <summary>A CodeableConcept with one coding that carries its display (the IG requires coding.display).</summary>
    public static CodeableConcept Concept(string system, string code, string display) =>
        new() { Coding = [new Coding(system, code, display)] };
}
