using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Privacy;

namespace Ndhm.Infrastructure.Privacy;

/// <summary>
/// Job checkpoints in the <c>operations</c> container. The id is a hash of the job name: names carry Key Vault key
/// ids (<c>https://…/keys/…</c>) whose '/' a Cosmos id cannot hold.
/// </summary>
public sealed class CosmosRunCheckpoints(CosmosClient client, CosmosSettings settings) : IRunCheckpoints
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Operations.Name);

    public static string IdOf(string name) => "run-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    public async Task<Versioned<RunCheckpoint>?> FindAsync(string name, CancellationToken ct)
    {
        var id = IdOf(name);
        try
        {
            var response = await Container.ReadItemAsync<CheckpointDocument>(id, new PartitionKey(id), cancellationToken: ct);
            var d = response.Resource;
            return new Versioned<RunCheckpoint>(new RunCheckpoint(d.Name, d.After, d.Completed, d.Visited, d.Changed, d.UpdatedAt, d.Failed), response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Versioned<RunCheckpoint>?> TrySaveAsync(RunCheckpoint checkpoint, string? ifMatch, CancellationToken ct)
    {
        var id = IdOf(checkpoint.Name);
        var document = new CheckpointDocument(id, id, "runCheckpoint", checkpoint.Name, checkpoint.After, checkpoint.Completed,
            checkpoint.Visited, checkpoint.Changed, checkpoint.UpdatedAt, checkpoint.Failed);
        try
        {
            var response = ifMatch is null
                ? await Container.CreateItemAsync(document, new PartitionKey(id), cancellationToken: ct)
                : await Container.ReplaceItemAsync(document, id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = ifMatch }, ct);
            return new Versioned<RunCheckpoint>(checkpoint, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private sealed record CheckpointDocument(
        string Id, string Pk, string DocType, string Name, string? After, bool Completed, long Visited, long Changed, DateTimeOffset UpdatedAt, long Failed);
}
