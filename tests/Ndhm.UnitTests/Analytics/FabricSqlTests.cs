using Ndhm.Analytics;

namespace Ndhm.UnitTests.Analytics;

public sealed class FabricSqlTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NdhmFunctions.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>Set NDHM_WRITE_FABRIC_SQL=1 to rewrite the file after changing the definitions.</summary>
    [Fact]
    public void GivenTheDefinitions_ThenTheFabricQueriesInInfraAreExactlyTheOnesTheyGenerate()
    {
        var path = Path.Combine(RepositoryRoot(), "infra", "analytics", "aggregates.sql");
        var generated = FabricSql.Generate(AnalyticsDefinitions.Default);
        if (Environment.GetEnvironmentVariable("NDHM_WRITE_FABRIC_SQL") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path) && File.ReadAllText(path) == generated,
            "infra/analytics/aggregates.sql is not what analytics-definitions.json generates; run the unit tests once with NDHM_WRITE_FABRIC_SQL=1.");
    }

    [Fact]
    public void GivenEveryMeasure_ThenItsViewGroupsByEveryDimensionTheDefinitionsName()
    {
        var sql = FabricSql.Generate(AnalyticsDefinitions.Default);

        foreach (var measure in AnalyticsDefinitions.Default.Measures)
        {
            Assert.Contains($"WHERE measure = '{measure.Name}'", sql, StringComparison.Ordinal);
            Assert.All(measure.AllDimensions, d => Assert.Contains($"dimensions.{d.Name}", sql, StringComparison.Ordinal));
        }
    }
}
