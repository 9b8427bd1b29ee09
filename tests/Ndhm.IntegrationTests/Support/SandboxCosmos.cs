using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// The test run's Cosmos database (<see cref="TestRun.CosmosDatabase"/>, on the emulator test.sh starts or reuses)
/// as the test hosts see it, for tests that arrange or assert on stored documents directly. Never the developer's
/// sandbox database.
/// </summary>
public static class SandboxCosmos
{
    private static readonly CosmosSettings RunSettings = new()
    {
        Endpoint = new Uri(SandboxEndpoints.CosmosEndpoint),
        Database = TestRun.CosmosDatabase,
        Key = CosmosEmulatorProcess.Key,
        AcceptAnyCertificate = true,
    };

    /// <summary>The run's database on the shared emulator (using it marks the run's resources for removal at the end).</summary>
    public static CosmosSettings Settings
    {
        get
        {
            TestRunResources.Used();
            return RunSettings;
        }
    }

    private static readonly Lazy<CosmosClient> Shared = new(() =>
    {
        var client = CosmosClientFactory.Create(Settings);
        // Tests may read or write before any host has created the run's database and containers.
        new CosmosDatabaseInitializer(client, Settings.Database).InitializeAsync().GetAwaiter().GetResult();
        return client;
    });

    /// <summary>One client for the test run, built like the app's.</summary>
    public static CosmosClient Client => Shared.Value;
}
