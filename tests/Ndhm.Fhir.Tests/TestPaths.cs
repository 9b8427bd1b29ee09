namespace Ndhm.Fhir.Tests;

/// <summary>Finds the shared IG folder: the sibling "shared" of the repository root (the folder with NdhmFunctions.sln).</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> s_shared = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NdhmFunctions.sln")))
            {
                return Path.Combine(dir.Parent!.FullName, "shared");
            }
        }

        throw new InvalidOperationException("NdhmFunctions.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Examples => Path.Combine(s_shared.Value, "fhir", "ndhm.in-2.0.1", "examples");

    public static string Example(string name) => Path.Combine(Examples, name);

    public const string Prescription = "Bundle-Prescription-example-06.json";
    public const string OPConsult = "Bundle-OPConsultNote-example-05.json";
    public const string DiagnosticReportLab = "Bundle-DiagnosticReport-Lab-example-03.json";
}
