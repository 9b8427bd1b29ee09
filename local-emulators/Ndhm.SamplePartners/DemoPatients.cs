namespace Ndhm.SamplePartners;

/// <summary>A care context as the HIP keeps it: its reference, a display line and the kinds of record it holds.</summary>
public sealed record DemoCareContext(string ReferenceNumber, string Display, IReadOnlyList<string> HiTypes);

/// <summary>
/// A patient in a sample HIP's own records (its MRN, the demographics it registered, the mobile it has on file).
/// The HIP matches ABDM's discovery against these, as a hospital information system would.
/// </summary>
public sealed record DemoPatient(string ReferenceNumber, string Name, string Gender, int YearOfBirth, string Mobile, IReadOnlyList<DemoCareContext> CareContexts)
{
    public string Display => Name;
}

/// <summary>
/// The demo data: the sandbox's KYC identities (functions/Ndhm.HealthId/README.md, "Simulated KYC provider") as
/// patients of the hospital and the lab, so an enrolled sandbox patient discovers records there.
/// </summary>
public static class DemoPatients
{
    public static IReadOnlyList<DemoPatient> Hospital { get; } =
    [
        new("HOSP-MRN-1001", "Asha Verma", "F", 1990, "9000000001",
        [
            new("OP-2025-0412", "OPD consultation, General Medicine, 12 Apr 2025", ["OPConsultation", "Prescription"]),
            new("IP-2025-0831", "Admission, Dengue fever, 31 Aug - 4 Sep 2025", ["DischargeSummary", "Prescription"]),
        ]),
        new("HOSP-MRN-1002", "Ravi Shankar Kumar", "M", 1985, "9000000002",
        [
            new("OP-2025-1103", "OPD consultation, Orthopaedics, 3 Nov 2025", ["OPConsultation", "Prescription"]),
        ]),
        new("HOSP-MRN-1003", "Meenakshi Sundaram", "F", 1958, "9000000003",
        [
            new("OP-2024-0126", "OPD consultation, Cardiology, 26 Jan 2024", ["OPConsultation", "Prescription"]),
            new("IM-2025-0301", "Influenza vaccination, 1 Mar 2025", ["ImmunizationRecord"]),
        ]),
    ];

    public static IReadOnlyList<DemoPatient> Lab { get; } =
    [
        new("LAB-PID-501", "Asha Verma", "F", 1990, "9000000001",
        [
            new("LAB-2025-0415", "Complete blood count, 15 Apr 2025", ["DiagnosticReport"]),
        ]),
        new("LAB-PID-502", "Meenakshi Sundaram", "F", 1958, "9000000003",
        [
            new("LAB-2025-0201", "HbA1c and lipid profile, 1 Feb 2025", ["DiagnosticReport"]),
        ]),
        new("LAB-PID-503", "Arjun Singh", "M", 2008, "9000000004",
        [
            new("LAB-2025-0710", "Thyroid profile, 10 Jul 2025", ["DiagnosticReport"]),
        ]),
    ];
}
