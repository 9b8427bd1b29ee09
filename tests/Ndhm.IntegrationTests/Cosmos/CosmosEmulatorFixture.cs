using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Ndhm.Core.Configuration;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Cosmos;

/// <summary>One emulator and one SDK client for the tests of the "Cosmos emulator" collection.</summary>
public sealed class CosmosEmulatorFixture : IAsyncLifetime
{
    public const string DatabaseName = "ndhm-tests";

    public CosmosEmulatorProcess Emulator { get; private set; } = null!;
    public CosmosClient Client { get; private set; } = null!;
    public Database Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await CosmosEmulatorProcess.StartAsync();
        Client = CreateClient(Emulator.Endpoint);
        Database = (await Client.CreateDatabaseIfNotExistsAsync(DatabaseName)).Database;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync();
        }
    }

    /// <summary>A client built the way the app builds it: settings from configuration, then the factory.</summary>
    public static CosmosClient CreateClient(Uri endpoint) =>
        CosmosClientFactory.Create(CosmosSettings.FromConfiguration(EmulatorConfiguration(endpoint)));

    public static IConfiguration EmulatorConfiguration(Uri endpoint) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [SettingNames.CosmosEndpoint] = endpoint.AbsoluteUri,
                [SettingNames.CosmosKey] = CosmosEmulatorProcess.Key,
                [SettingNames.CosmosDatabase] = DatabaseName,
                [SettingNames.CosmosAcceptAnyCertificate] = "true",
            })
            .Build();

    /// <summary>A fresh container (partitioned on /pk like every product container) for one test.</summary>
    public async Task<Container> CreateContainerAsync(int? defaultTtlSeconds = null)
    {
        var properties = new ContainerProperties($"c-{Guid.NewGuid():N}", CosmosContainers.PartitionKeyPath)
        {
            DefaultTimeToLive = defaultTtlSeconds,
        };
        return (await Database.CreateContainerAsync(properties)).Container;
    }
}

[CollectionDefinition(Name)]
public sealed class CosmosEmulatorCollection : ICollectionFixture<CosmosEmulatorFixture>
{
    public const string Name = "Cosmos emulator";
}

/// <summary>The document shape the tests store; serialized with the platform's JSON options (camelCase).</summary>
public sealed record TestItem(string Id, string Pk, int N, string? Name = null, int? Ttl = null);
