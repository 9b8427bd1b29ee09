namespace Ndhm.Consent;

/// <summary>ABDM's enumerations (ndhm-gateway-v1.yml: UsePurpose codes, HITypeEnum, Permission.accessMode, frequency.unit).</summary>
public static class ConsentCodes
{
    public const string CareManagement = "CAREMGT";
    public const string BreakTheGlass = "BTG";
    public const string PublicHealth = "PUBHLTH";
    public const string HealthcarePayment = "HPAYMT";
    public const string DiseaseResearch = "DSRCH";
    public const string PatientRequested = "PATRQT";

    public static IReadOnlyList<string> Purposes { get; } =
        [CareManagement, BreakTheGlass, PublicHealth, HealthcarePayment, DiseaseResearch, PatientRequested];

    public static IReadOnlyList<string> HiTypes { get; } =
        ["OPConsultation", "Prescription", "DischargeSummary", "DiagnosticReport", "ImmunizationRecord", "HealthDocumentRecord", "WellnessRecord"];

    public static IReadOnlyList<string> AccessModes { get; } = ["VIEW", "STORE", "QUERY", "STREAM"];

    public static IReadOnlyList<string> FrequencyUnits { get; } = ["HOUR", "WEEK", "DAY", "MONTH", "YEAR"];
}
