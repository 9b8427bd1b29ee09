namespace Ndhm.Fhir.Tests;

/// <summary>
/// The IG's official example bundles, kept in the repository (<c>tests/fhir-examples</c>) and copied beside the
/// test assembly by the project file, so a fresh clone needs nothing outside it.
/// </summary>
internal static class TestPaths
{
    public static string Examples => Path.Combine(AppContext.BaseDirectory, "Examples");

    public static string Example(string name) => Path.Combine(Examples, name);

    public const string Prescription = "Bundle-Prescription-example-06.json";
    public const string OPConsult = "Bundle-OPConsultNote-example-05.json";
    public const string DiagnosticReportLab = "Bundle-DiagnosticReport-Lab-example-03.json";
}
