using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ndhm.UnitTests.Infra;

/// <summary>
/// A fresh clone must build and pass its tests on any machine: no project file, test, script or emulator may
/// reach outside the repository root (a test once read the IG examples from a <c>shared/</c> folder beside the
/// repository, which only the authors' machines had).
/// </summary>
public sealed partial class SelfContainedRepositoryTests
{
    private static readonly string Root = FindRepositoryRoot();

    private static readonly string[] SkippedDirectories = ["bin", "obj", "node_modules", ".git", ".sandbox", ".test-sandbox", "TestResults", "BenchmarkDotNet.Artifacts"];

    [Fact]
    public void GivenEveryMsBuildFile_WhenItsRelativePathsAreResolved_ThenEachStaysInsideTheRepository()
    {
        var outside = new List<string>();
        foreach (var file in RepositoryFiles("*.csproj", "*.props", "*.targets"))
        {
            var directory = Path.GetDirectoryName(file)!;
            foreach (var attribute in XDocument.Load(file).Descendants().Attributes()
                         .Where(a => a.Name.LocalName is "Include" or "Update" or "Remove" or "Project" or "Link" or "LinkBase"))
            {
                foreach (var value in attribute.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!LooksLikeARelativePath(value)) continue;
                    var literal = value[..FirstWildcardOrEnd(value)];
                    if (!IsInside(Path.GetFullPath(Path.Combine(directory, literal))))
                    {
                        outside.Add($"{Relative(file)}: {attribute.Name.LocalName}=\"{value}\"");
                    }
                }
            }
        }

        Assert.True(outside.Count == 0, "Paths outside the repository:\n" + string.Join('\n', outside));
    }

    [Fact]
    public void GivenEveryTestSourceAndScript_WhenScannedForPathsBesideTheRepository_ThenThereAreNone()
    {
        var offending = new List<string>();
        foreach (var file in RepositoryFiles("*.cs", "*.sh", "*.js"))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (EscapesTheRepository().IsMatch(lines[i]))
                {
                    offending.Add($"{Relative(file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offending.Count == 0, "Code that reaches beside the repository root:\n" + string.Join('\n', offending));
    }

    [Theory]
    [InlineData("return Path.Combine(dir.Parent!.FullName, \"shared\");")]
    [InlineData("var examples = Path.Combine(root, \"..\", \"shared\", \"fhir\");")]
    [InlineData("cat \"$ROOT/../" + "shared/fhir/x.json\"")]
    [InlineData("File.ReadAllText(\"../../../../" + "shared/x.json\")")]
    public void GivenAPathBesideTheRepository_WhenScanned_ThenItIsCaught(string line) =>
        Assert.Matches(EscapesTheRepository(), line);

    [Theory]
    [InlineData("for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)")]
    [InlineData("ROOT=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")/..\" && pwd)\"")]
    [InlineData("// a test shared by two hosts")]
    public void GivenAnOrdinaryLine_WhenScanned_ThenItPasses(string line) =>
        Assert.DoesNotMatch(EscapesTheRepository(), line);

    // The root's parent (Parent.FullName), a "shared" folder as a path segment, or "../" chains of two or more
    // (one level is how scripts find the root from local-emulators/, and project references climb from tests/).
    [GeneratedRegex(@"Parent!?\.FullName|[""/\\]shared[""/\\]|\$ROOT/\.\.|(\.\.[/\\]){4,}|""\.\.""\s*,\s*""shared""")]
    private static partial Regex EscapesTheRepository();

    private static bool LooksLikeARelativePath(string value) =>
        !value.StartsWith("$(", StringComparison.Ordinal) && !value.StartsWith("@(", StringComparison.Ordinal)
        && !value.StartsWith("%(", StringComparison.Ordinal) && (value.Contains('/') || value.Contains('\\') || value.StartsWith("..", StringComparison.Ordinal));

    private static int FirstWildcardOrEnd(string value)
    {
        var index = value.IndexOfAny(['*', '?']);
        return index < 0 ? value.Length : index;
    }

    private static bool IsInside(string path) =>
        path.Equals(Root, StringComparison.Ordinal) || path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Relative(string path) => Path.GetRelativePath(Root, path);

    private static IEnumerable<string> RepositoryFiles(params string[] patterns)
    {
        var pending = new Stack<string>([Root]);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!SkippedDirectories.Contains(Path.GetFileName(sub))) pending.Push(sub);
            }

            foreach (var pattern in patterns)
            {
                foreach (var file in Directory.EnumerateFiles(directory, pattern))
                {
                    if (!file.EndsWith(nameof(SelfContainedRepositoryTests) + ".cs", StringComparison.Ordinal)) yield return file;
                }
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NdhmFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No NdhmFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
