using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Gateway;
using Ndhm.Gateway.Callbacks;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Deliveries in the <c>gateway</c> container, partitioned per partner (<c>deliveries:&lt;partnerId&gt;</c>) so a
/// partner's listing is a single-partition query. Finished deliveries expire after <see cref="RetainSeconds"/>.
/// </summary>
public sealed class CosmosDeliveryStore(CosmosClient client, CosmosSettings settings) : IDeliveryStore
{
    public const int RetainSeconds = 30 * 24 * 3600;
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Gateway.Name);

    public static string Pk(string partnerId) => "deliveries:" + partnerId;

    public async Task<Versioned<Delivery>?> GetAsync(string partnerId, string deliveryId, CancellationToken ct) =>
        await CosmosDocuments.TryReadAsync<DeliveryDocument>(Container, deliveryId, Pk(partnerId), ct) is { } read
            ? new Versioned<Delivery>(read.Document.ToDomain(), read.ETag)
            : null;

    public async Task<Versioned<Delivery>> CreateAsync(Delivery delivery, CancellationToken ct)
    {
        var etag = await CosmosDocuments.CreateAsync(Container, DeliveryDocument.From(delivery), Pk(delivery.PartnerId),
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "A delivery with this id already exists."), ct);
        return new Versioned<Delivery>(delivery, etag);
    }

    public async Task<Versioned<Delivery>> ReplaceAsync(Delivery delivery, string ifMatch, CancellationToken ct)
    {
        var etag = await CosmosDocuments.ReplaceAsync(Container, DeliveryDocument.From(delivery), delivery.Id, Pk(delivery.PartnerId), ifMatch,
            () => new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The delivery changed meanwhile; retry."),
            () => new DomainException(ErrorKind.NotFound, GatewayErrors.DeliveryNotFound, "No delivery has this id."), ct);
        return new Versioned<Delivery>(delivery, etag);
    }

    public async Task<IReadOnlyList<Delivery>> ListAsync(string partnerId, DeliveryStatus? status, int max, CancellationToken ct)
    {
        var sql = "SELECT TOP @max * FROM c WHERE c.pk = @pk" + (status is null ? "" : " AND c.status = @status") + " ORDER BY c.createdAt DESC";
        var query = new QueryDefinition(sql).WithParameter("@max", max).WithParameter("@pk", Pk(partnerId));
        if (status is { } s)
        {
            query = query.WithParameter("@status", System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(s.ToString()));
        }

        var documents = await CosmosDocuments.QueryAsync<DeliveryDocument>(Container, query, max, Pk(partnerId), ct);
        return documents.Select(d => d.ToDomain()).ToList();
    }

    public async Task<IReadOnlyList<Delivery>> ListOverdueAsync(DateTimeOffset dueBefore, int max, CancellationToken ct)
    {
        // Cross-partition, but only over pending documents and only once a minute.
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'delivery' AND c.status = 'pending' AND c.nextAttemptAt < @due")
            .WithParameter("@max", max).WithParameter("@due", System.Text.Json.JsonSerializer.Serialize(dueBefore.ToUniversalTime(), Ndhm.Core.Json.NdhmJson.Options).Trim('"'));
        var documents = await CosmosDocuments.QueryAsync<DeliveryDocument>(Container, query, max, partitionKey: null, ct);
        return documents.Select(d => d.ToDomain()).ToList();
    }
}

internal sealed record DeliveryDocument(
    string Id, string Pk, string Type, string PartnerId, string Path, string Body, string? AnswersRequestId,
    IReadOnlyDictionary<string, string> Headers, DeliveryStatus Status, int NextAttempt, int AttemptLimit,
    IReadOnlyList<DeliveryAttempt> Attempts, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? NextAttemptAt, int? Ttl,
    string? After = null, string? AfterPartnerId = null)
{
    public static DeliveryDocument From(Delivery d) =>
        new(d.Id, CosmosDeliveryStore.Pk(d.PartnerId), "delivery", d.PartnerId, d.Path, d.Body, d.AnswersRequestId, d.Headers, d.Status,
            d.NextAttempt, d.AttemptLimit, d.Attempts, d.CreatedAt, d.UpdatedAt, d.NextAttemptAt,
            d.Status == DeliveryStatus.Pending ? null : CosmosDeliveryStore.RetainSeconds, d.After, d.AfterPartnerId);

    public Delivery ToDomain() =>
        new(Id, PartnerId, Path, Body, AnswersRequestId, Headers, Status, NextAttempt, AttemptLimit, Attempts, CreatedAt, UpdatedAt, NextAttemptAt, After, AfterPartnerId);
}
