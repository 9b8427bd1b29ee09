using System.Reflection;
using System.Xml.Linq;
using Ndhm.Infrastructure.HealthId;
using Ndhm.Triggers;

namespace Ndhm.UnitTests.Architecture;

/// <summary>
/// The layering every capability follows (see "Adding a capability" in functions/README.md): trigger -> application
/// service -> port, with adapters behind the ports in Infrastructure, wired only in the composition roots.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly string[] AzureSdks = ["Azure", "Microsoft.Azure"];

    private static readonly Assembly Infrastructure = typeof(HealthIdSettings).Assembly;
    private static readonly Assembly Triggers = typeof(PlatformServices).Assembly;
    private static readonly Assembly Cli = typeof(Ndhm.Cli.Commands.AbhaCommand).Assembly;

    public static TheoryData<string> DomainAssemblies => new() { "Ndhm.Core", "Ndhm.HealthId", "Ndhm.Registry", "Ndhm.Gateway", "Ndhm.Fidelius", "Ndhm.Fhir", "Ndhm.Audit", "Ndhm.Privacy", "Ndhm.Linking", "Ndhm.Consent", "Ndhm.Phr", "Ndhm.Telemedicine", "Ndhm.DataTransfer", "Ndhm.DataTransfer.Partners", "Ndhm.Pharmacy", "Ndhm.Analytics" };

    [Theory]
    [MemberData(nameof(DomainAssemblies))]
    public void GivenADomainProject_ThenNoTypeDependsOnInfrastructureTriggersOrAnAzureSdk(string assemblyName)
    {
        var assembly = Load(assemblyName);

        var offenders = DependencyRules.Offenders(assembly, ["Ndhm.Infrastructure", "Ndhm.Triggers", .. AzureSdks]);

        Assert.True(offenders.Count == 0, $"{assemblyName} must not depend on adapters, triggers or Azure SDKs: {string.Join(", ", offenders)}");
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), r => r.Name is "Ndhm.Infrastructure" or "Ndhm.Triggers"
            || r.Name!.StartsWith("Azure.", StringComparison.Ordinal) || r.Name.StartsWith("Microsoft.Azure.", StringComparison.Ordinal));
    }

    /// <summary>
    /// A version is the store's business: reads and creates return <c>Versioned&lt;T&gt;</c> and replaces take the ETag to
    /// match, so no domain type carries its own ETag (issue #10).
    /// </summary>

    [Theory]
    [MemberData(nameof(DomainAssemblies))]
    public void GivenADomainProject_ThenNoTypeButTheVersionWrapperDeclaresAnETag(string assemblyName)
    {
        var carriers = Load(assemblyName).GetTypes()
            .Where(t => t != typeof(Ndhm.Core.Concurrency.Versioned<>))
            .Where(t => t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Any(p => p.Name.Equals("ETag", StringComparison.OrdinalIgnoreCase)))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(carriers.Count == 0,
            $"{assemblyName}: stores return Versioned<T> and take the ETag to match; these types carry their own: {string.Join(", ", carriers)}");
    }

    [Fact]
    public void GivenTheTriggers_ThenOnlyTheCompositionRootsUseInfrastructure()
    {
        var offenders = DependencyRules.Offenders(Triggers, ["Ndhm.Infrastructure"], t => DependencyRules.IsCompositionRoot(t)
            // The HTTP gate's net for SDK exceptions (DependencyFailures.Classify): host wiring, not a function; a port for it
            // would be a change to the gate, which another branch owns.
            || t.FullName == "Ndhm.Triggers.Http.HttpFunctionGate");

        Assert.True(offenders.Count == 0, $"Triggers must use ports, not adapters (Infrastructure only in *Services.cs): {string.Join(", ", offenders)}");
    }

    [Fact]
    public void GivenTheCliAndInfrastructure_ThenNeitherDependsOnTheTriggers()
    {
        var offenders = DependencyRules.Offenders(Cli, ["Ndhm.Triggers"]).Concat(DependencyRules.Offenders(Infrastructure, ["Ndhm.Triggers"])).ToList();

        Assert.True(offenders.Count == 0, $"The CLI and the adapters must not depend on the function layer: {string.Join(", ", offenders)}");
        Assert.DoesNotContain(Cli.GetReferencedAssemblies(), r => r.Name == "Ndhm.Triggers");
        Assert.DoesNotContain(Infrastructure.GetReferencedAssemblies(), r => r.Name == "Ndhm.Triggers");
    }

    [Fact]
    public void GivenTheFunctionApp_ThenNothingItShipsReferencesTheLocalHost()
    {
        var shipped = ProjectClosure(Path.Combine(RepositoryRoot(), "functions", "Ndhm.Functions", "Ndhm.Functions.csproj"));

        var local = shipped.Where(p => p.Contains($"{Path.DirectorySeparatorChar}local-emulators{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();

        Assert.Contains(shipped, p => p.EndsWith("Ndhm.Triggers.csproj", StringComparison.Ordinal));
        Assert.True(local.Count == 0, $"The function app must not reference the local host: {string.Join(", ", local)}");
        Assert.Empty(DependencyRules.Offenders(Triggers, ["Ndhm.LocalHost", "Ndhm.LocalKeyVault"]));
    }

    [Fact]
    public void GivenTheSamplePartners_ThenTheyReferenceNoPlatformProject()
    {
        // They stand for external partners' software: HTTP to the platform is their only way in, plus the packable
        // partner library a partner would take as a package (the HIP and HIU sides of the data transfer, issue #13).
        var project = Path.GetFullPath(Path.Combine(RepositoryRoot(), "local-emulators", "Ndhm.SamplePartners", "Ndhm.SamplePartners.csproj"));
        var partnerLibrary = Path.GetFullPath(Path.Combine(RepositoryRoot(), "functions", "Ndhm.DataTransfer.Partners", "Ndhm.DataTransfer.Partners.csproj"));

        var references = ProjectClosure(project);
        references.ExceptWith([partnerLibrary, .. ProjectClosure(partnerLibrary)]);

        Assert.True(File.Exists(project), project);
        Assert.True(references.Count == 0, $"The sample partners must not reference platform projects: {string.Join(", ", references)}");
    }

    private static Assembly Load(string name) => Assembly.Load(name);

    /// <summary>The project files a project references, directly or through others.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next)) continue;
            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, include)));
            }
        }

        seen.Remove(Path.GetFullPath(project));
        return seen;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NdhmFunctions.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No NdhmFunctions.sln above {AppContext.BaseDirectory}.");
    }
}
