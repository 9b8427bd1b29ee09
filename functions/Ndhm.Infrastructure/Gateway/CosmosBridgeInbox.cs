using Microsoft.Azure.Cosmos;
using Ndhm.Gateway.Simulator;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>Sandbox bridge inbox in the <c>gateway</c> container (pk <c>bridge:&lt;name&gt;</c>), kept one day.</summary>
public sealed class CosmosBridgeInbox(CosmosClient client, CosmosSettings settings) : IBridgeInbox
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Gateway.Name);

    public Task RecordAsync(ReceivedCallback callback, CancellationToken ct) =>
        Container.CreateItemAsync(new InboxDocument(callback.Id, "bridge:" + callback.Bridge, "bridge-inbox", callback, 24 * 3600),
            new PartitionKey("bridge:" + callback.Bridge), cancellationToken: ct);

    public async Task<IReadOnlyList<ReceivedCallback>> ListAsync(string bridge, int max, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.pk = @pk ORDER BY c.callback.receivedAt DESC")
            .WithParameter("@max", max).WithParameter("@pk", "bridge:" + bridge);
        var documents = await CosmosDocuments.QueryAsync<InboxDocument>(Container, query, max, "bridge:" + bridge, ct);
        return documents.Select(d => d.Callback).ToList();
    }
}

internal sealed record InboxDocument(string Id, string Pk, string Type, ReceivedCallback Callback, int Ttl);
