using System.Net;
using Microsoft.Azure.Cosmos;

namespace Ndhm.Infrastructure.Cosmos;

/// <summary>
/// Creates the database and every container of <see cref="CosmosContainers.All"/> if missing, and brings an
/// existing container's TTL in line with the catalog. Safe to run at every start-up (the sandbox does);
/// in Azure the Bicep owns these resources and this is not called.
/// </summary>
public sealed class CosmosDatabaseInitializer(CosmosClient client, string databaseName)
{
    public async Task<Database> InitializeAsync(CancellationToken ct = default)
    {
        var database = (await client.CreateDatabaseIfNotExistsAsync(databaseName, cancellationToken: ct)).Database;
        foreach (var spec in CosmosContainers.All)
        {
            await EnsureContainerAsync(database, spec, ct);
        }

        return database;
    }

    public static ContainerProperties PropertiesOf(CosmosContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var properties = new ContainerProperties(spec.Name, CosmosContainers.PartitionKeyPath)
        {
            DefaultTimeToLive = spec.DefaultTtlSeconds,
        };
        if (spec.UniqueKeyPaths.Count > 0)
        {
            var uniqueKey = new UniqueKey();
            foreach (var path in spec.UniqueKeyPaths)
            {
                uniqueKey.Paths.Add(path);
            }

            properties.UniqueKeyPolicy = new UniqueKeyPolicy { UniqueKeys = { uniqueKey } };
        }

        return properties;
    }

    private static async Task EnsureContainerAsync(Database database, CosmosContainerSpec spec, CancellationToken ct)
    {
        var wanted = PropertiesOf(spec);
        var response = await database.CreateContainerIfNotExistsAsync(wanted, cancellationToken: ct);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return;
        }

        // Partition key and unique keys cannot change after creation; TTL can, so follow the catalog.
        var existing = response.Resource;
        if (existing.DefaultTimeToLive != wanted.DefaultTimeToLive)
        {
            existing.DefaultTimeToLive = wanted.DefaultTimeToLive;
            await response.Container.ReplaceContainerAsync(existing, cancellationToken: ct);
        }
    }
}
