using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.UnitTests.Infra;

/// <summary>
/// Keeps the Bicep in infra/ and the code's catalogs in step: every setting the deployed app cannot run without is
/// set by the template, emulator-only settings (keys, local tokens) are not, and the Cosmos containers the template
/// creates are exactly those the code uses. The Bicep is read as text; compiling it is infra/build.sh's job.
/// </summary>
public sealed class BicepSettingsTests
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);
    private static readonly Lazy<string> BicepText = new(ReadAllBicep);

    public static TheoryData<string> SettingsRequiredInAzure()
    {
        var data = new TheoryData<string>();
        foreach (var name in RequiredSettingNames())
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>Settings that exist only for the local sandbox: in Azure they would mean a key or a trust bypass.</summary>
    public static TheoryData<string> EmulatorOnlySettings() =>
    [
        SettingNames.CosmosKey,
        SettingNames.CosmosAcceptAnyCertificate,
        SettingNames.KeyVaultLocalToken,
        SettingNames.StorageConnection,
    ];

    [Fact]
    public void GivenTheSettingsCatalog_WhenReflected_ThenItFindsTheSettingsMarkedRequiredInAzure()
    {
        // Guards the reflection itself: an empty list would make the theory below pass vacuously.
        var names = RequiredSettingNames();

        Assert.Contains(SettingNames.CosmosEndpoint, names);
        Assert.Contains(SettingNames.StorageQueueServiceUri, names);
        Assert.DoesNotContain(SettingNames.CosmosKey, names);
    }

    [Theory]
    [MemberData(nameof(SettingsRequiredInAzure))]
    public void GivenASettingRequiredInAzure_WhenTheBicepIsRead_ThenAnAppSettingSetsIt(string settingName)
    {
        var values = AssignedValues(settingName);

        Assert.True(values.Count > 0,
            $"No .bicep file under infra/ sets the app setting '{settingName}' ([RequiredInAzure] in SettingNames). " +
            "Add it to the app settings in infra/main.bicep (platformSettings) or infra/app/api.bicep.");
        Assert.All(values, value => Assert.False(value is "''" or "null",
            $"The Bicep sets '{settingName}' to an empty value ({value})."));
    }

    [Theory]
    [MemberData(nameof(EmulatorOnlySettings))]
    public void GivenAnEmulatorOnlySetting_WhenTheBicepIsRead_ThenNoAppSettingSetsIt(string settingName)
    {
        Assert.Empty(AssignedValues(settingName));
    }

    [Fact]
    public void GivenTheCosmosCatalog_WhenComparedWithTheBicep_ThenTheContainersMatchByNamePartitionKeyTtlAndUniqueKeys()
    {
        var expected = CosmosContainers.All
            .Select(c => new ContainerShape(c.Name, CosmosContainers.PartitionKeyPath, c.DefaultTtlSeconds,
                string.Join(",", c.UniqueKeyPaths)))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

        var actual = ReadBicepContainers()
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();

        var missing = expected.Except(actual).ToList();
        var unexpected = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            "infra/app/cosmos-containers.json differs from CosmosContainers.All." +
            $"{Environment.NewLine}  In the code, not (or not so) in the Bicep: {string.Join("; ", missing)}" +
            $"{Environment.NewLine}  In the Bicep, not (or not so) in the code: {string.Join("; ", unexpected)}");
    }

    [Fact]
    public void GivenTheCosmosModule_WhenRead_ThenItCreatesTheContainersFromTheComparedListWithTheirPartitionKeyAndTtl()
    {
        // The comparison above is only worth something if the module really deploys that list.
        var cosmos = StripComments(File.ReadAllText(Path.Combine(RepositoryRoot.Value, "infra", "app", "cosmos.bicep")));

        Assert.Contains("loadJsonContent('cosmos-containers.json')", cosmos);
        Assert.Matches(@"resource\s+\w+\s+'Microsoft\.DocumentDB/databaseAccounts/sqlDatabases/containers@[^']+'\s*=\s*\[\s*for\s+container\s+in\s+containers\s*:", cosmos);
        Assert.Contains("container.partitionKeyPath", cosmos);
        Assert.Contains("container.?defaultTtl", cosmos);
        Assert.Contains("container.uniqueKeyPaths", cosmos);
    }

    private static List<string> RequiredSettingNames() =>
        typeof(SettingNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.IsDefined(typeof(RequiredInAzureAttribute)))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

    /// <summary>
    /// The values assigned to <paramref name="settingName"/> as an object property anywhere in the Bicep
    /// (<c>Name: value</c> or <c>'Name': value</c> at the start of a line), comments excluded.
    /// </summary>
    private static List<string> AssignedValues(string settingName)
    {
        var pattern = new Regex(
            $@"^[ \t]*'?{Regex.Escape(settingName)}'?[ \t]*:[ \t]*(?<value>\S.*?)[ \t]*$",
            RegexOptions.Multiline);
        return pattern.Matches(BicepText.Value).Select(m => m.Groups["value"].Value).ToList();
    }

    private static IEnumerable<ContainerShape> ReadBicepContainers()
    {
        var path = Path.Combine(RepositoryRoot.Value, "infra", "app", "cosmos-containers.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var container in document.RootElement.EnumerateArray())
        {
            int? ttl = container.TryGetProperty("defaultTtl", out var t) && t.ValueKind == JsonValueKind.Number
                ? t.GetInt32()
                : null;
            var uniqueKeys = container.TryGetProperty("uniqueKeyPaths", out var u)
                ? u.EnumerateArray().Select(p => p.GetString()!)
                : [];
            yield return new ContainerShape(
                container.GetProperty("name").GetString()!,
                container.GetProperty("partitionKeyPath").GetString()!,
                ttl,
                string.Join(",", uniqueKeys));
        }
    }

    private static string ReadAllBicep()
    {
        var infra = Path.Combine(RepositoryRoot.Value, "infra");
        var files = Directory.GetFiles(infra, "*.bicep", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        return string.Join(Environment.NewLine, files.Order(StringComparer.Ordinal).Select(f => StripComments(File.ReadAllText(f))));
    }

    /// <summary>Removes // line comments and /* */ block comments, leaving '...' strings (which may hold //) intact.</summary>
    private static string StripComments(string bicep)
    {
        var output = new System.Text.StringBuilder(bicep.Length);
        var inString = false;
        for (var i = 0; i < bicep.Length; i++)
        {
            var c = bicep[i];
            if (inString)
            {
                output.Append(c);
                if (c == '\\' && i + 1 < bicep.Length)
                {
                    output.Append(bicep[++i]);
                }
                else if (c == '\'')
                {
                    inString = false;
                }
            }
            else if (c == '\'')
            {
                inString = true;
                output.Append(c);
            }
            else if (c == '/' && i + 1 < bicep.Length && bicep[i + 1] == '/')
            {
                while (i < bicep.Length && bicep[i] != '\n')
                {
                    i++;
                }
                output.Append('\n');
            }
            else if (c == '/' && i + 1 < bicep.Length && bicep[i + 1] == '*')
            {
                var end = bicep.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? bicep.Length : end + 1;
            }
            else
            {
                output.Append(c);
            }
        }
        return output.ToString();
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

    private sealed record ContainerShape(string Name, string PartitionKeyPath, int? DefaultTtlSeconds, string UniqueKeyPaths)
    {
        public override string ToString() =>
            $"{Name} (pk {PartitionKeyPath}, ttl {DefaultTtlSeconds?.ToString() ?? "off"}, unique keys [{UniqueKeyPaths}])";
    }
}
