using Microsoft.Azure.Cosmos;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// The sandbox's Cosmos database (<c>ndhm</c> on the emulator test.sh starts) as the hosts see it, for tests that
/// arrange or assert on stored documents directly.
/// </summary>
public static class SandboxCosmos
{
    public static CosmosSettings Settings { get; } = new()
    {
        Endpoint = new Uri(SandboxEndpoints.CosmosEndpoint),
        Database = "ndhm",
        Key = CosmosEmulatorProcess.Key,
        AcceptAnyCertificate = true,
    };

    private static readonly Lazy<CosmosClient> Shared = new(() => CosmosClientFactory.Create(Settings));

    /// <summary>One client for the test run, built like the app's.</summary>
    public static CosmosClient Client => Shared.Value;
}
