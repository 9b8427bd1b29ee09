namespace Ndhm.Phr.Records;

/// <summary>ABDM's health information types (the consent's <c>hiTypes</c>), as the PHR files records under them.</summary>
public static class HiTypes
{
    public const string HealthDocumentRecord = "HealthDocumentRecord";

    public static IReadOnlyList<string> All { get; } =
        ["OPConsultation", "Prescription", "DischargeSummary", "DiagnosticReport", "ImmunizationRecord", HealthDocumentRecord, "WellnessRecord"];

    /// <summary>The canonical spelling of <paramref name="value"/> (case-insensitive), or null when it is not an ABDM hiType.</summary>
    public static string? Canonical(string? value) =>
        value is null ? null : All.FirstOrDefault(t => t.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase));
}
