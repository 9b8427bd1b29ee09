using Microsoft.Azure.Cosmos;
using Ndhm.Gateway.Inbound;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Partner requests by REQUEST-ID in the <c>gateway</c> container (id and pk <c>request:&lt;partner&gt;:&lt;id&gt;</c>),
/// kept for <see cref="TtlSeconds"/>: far longer than the 5-minute TIMESTAMP window, so a repeat can never slip
/// past both checks.
/// </summary>
public sealed class CosmosRequestLog(CosmosClient client, CosmosSettings settings) : IRequestLog
{
    public const int TtlSeconds = 24 * 3600;
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Gateway.Name);

    public async Task<RequestRecord?> TryAddAsync(RequestRecord record, CancellationToken ct)
    {
        var key = Key(record);
        if (await CosmosDocuments.TryCreateAsync(Container, new RequestDocument(key, key, "request", record, TtlSeconds), key, ct) is not null)
        {
            return null;
        }

        return (await CosmosDocuments.FindAsync<RequestDocument>(Container, key, key, ct))?.Record
            ?? throw new InvalidOperationException("A request record vanished between its create conflict and its read.");
    }

    public Task MarkCompletedAsync(RequestRecord record, CancellationToken ct)
    {
        var key = Key(record);
        return Container.UpsertItemAsync(new RequestDocument(key, key, "request", record with { Completed = true }, TtlSeconds),
            new PartitionKey(key), cancellationToken: ct);
    }

    private static string Key(RequestRecord record) => $"request:{record.PartnerId}:{record.RequestId}";
}

internal sealed record RequestDocument(string Id, string Pk, string Type, RequestRecord Record, int Ttl);
