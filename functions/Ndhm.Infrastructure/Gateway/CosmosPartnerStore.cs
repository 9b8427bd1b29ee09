using Ndhm.Core.Ids;
using System.Collections.Concurrent;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Gateway;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Partners in the <c>registry</c> container, one document each, id and pk <c>partner:&lt;clientId&gt;</c>, with the
/// per-facility index (<see cref="FacilityPartnerIndex"/>) kept as they register and change: facilities are added to
/// the index before the partner is written and removed after, so a lookup by facility never misses a partner.
/// </summary>
public sealed class CosmosPartnerStore(CosmosClient client, CosmosSettings settings, FacilityPartnerIndex index) : IPartnerStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Registry.Name);

    public static string Key(string clientId) => "partner:" + DocumentIds.Ensure(clientId, "clientId");

    public async Task<Versioned<Partner>?> GetAsync(string clientId, CancellationToken ct) =>
        await CosmosDocuments.TryReadAsync<PartnerDocument>(Container, Key(clientId), Key(clientId), ct) is { } read
            ? new Versioned<Partner>(read.Document.ToDomain(), read.ETag)
            : null;

    public async Task<Versioned<Partner>> CreateAsync(Partner partner, CancellationToken ct)
    {
        foreach (var facility in partner.Facilities) await index.AddAsync(facility, partner.ClientId, ct);
        var doc = PartnerDocument.From(partner);
        var etag = await CosmosDocuments.CreateAsync(Container, doc, doc.Pk,
            () => new DomainException(ErrorKind.Conflict, GatewayErrors.PartnerExists, "A partner with this client id already exists."), ct);
        return new Versioned<Partner>(partner, etag);
    }

    public async Task<Versioned<Partner>> ReplaceAsync(Partner partner, string ifMatch, CancellationToken ct)
    {
        var before = (await GetAsync(partner.ClientId, ct))?.Value.Facilities ?? [];
        foreach (var facility in partner.Facilities.Except(before)) await index.AddAsync(facility, partner.ClientId, ct);
        var doc = PartnerDocument.From(partner);
        var etag = await CosmosDocuments.ReplaceAsync(Container, doc, doc.Id, doc.Pk, ifMatch,
            () => new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The partner changed meanwhile; retry."),
            () => new DomainException(ErrorKind.NotFound, GatewayErrors.PartnerNotFound, "No partner has this client id."), ct);
        foreach (var facility in before.Except(partner.Facilities)) await index.RemoveAsync(facility, partner.ClientId, ct);
        return new Versioned<Partner>(partner, etag);
    }

    /// <summary>
    /// Adds every partner to its facilities' index documents (idempotent): for partners registered before the index
    /// existed. Pages through all partners by client id; how many partners it visited.
    /// </summary>
    public async Task<int> ReindexFacilitiesAsync(CancellationToken ct)
    {
        var visited = 0;
        string? after = null;
        do
        {
            var page = await ReindexPageAsync(after, 200, ct);
            visited += page.Visited;
            after = page.Next;
        }
        while (after is not null);

        return visited;
    }

    /// <summary>
    /// One page of <see cref="ReindexFacilitiesAsync"/>: up to <paramref name="max"/> partners after client id
    /// <paramref name="after"/>, each added to its facilities' index documents (a no-op when already there).
    /// </summary>
    public async Task<Ndhm.Core.Maintenance.MigrationPage> ReindexPageAsync(string? after, int max, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'partner' AND c.clientId > @after ORDER BY c.clientId")
            .WithParameter("@max", max).WithParameter("@after", after ?? "");
        var page = await CosmosDocuments.QueryAsync<PartnerDocument>(Container, query, max, partitionKey: null, ct);
        var changed = 0;
        foreach (var partner in page)
        foreach (var facility in partner.Facilities)
            if (await index.AddAsync(facility, partner.ClientId, ct)) changed++;
        return new Ndhm.Core.Maintenance.MigrationPage(FacilityPartnerIndexMigration.MigrationName, page.Count, changed,
            page.Count < max ? null : page[^1].ClientId);
    }

    public async Task<IReadOnlyList<Partner>> ListAsync(int max, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'partner' ORDER BY c.clientId").WithParameter("@max", max);
        var documents = await CosmosDocuments.QueryAsync<PartnerDocument>(Container, query, max, partitionKey: null, ct);
        return documents.Select(d => d.ToDomain()).ToList();
    }
}

internal sealed record PartnerDocument(
    string Id, string Pk, string Type, string ClientId, string Name, IReadOnlyList<string> Roles, string BridgeUrl,
    IReadOnlyList<string> Facilities, bool Active, HashedSecret Secret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PartnerDocument From(Partner p) =>
        new(CosmosPartnerStore.Key(p.ClientId), CosmosPartnerStore.Key(p.ClientId), "partner", p.ClientId, p.Name, p.Roles,
            p.BridgeUrl.ToString(), p.Facilities, p.Active, p.Secret, p.CreatedAt, p.UpdatedAt);

    public Partner ToDomain() =>
        new(ClientId, Name, Roles, new Uri(BridgeUrl), Facilities, Active, Secret, CreatedAt, UpdatedAt);
}

/// <summary>
/// <see cref="IPartnerDirectory"/> over the partner store, with a short cache: callbacks look the partner up
/// per attempt, and a deactivation or new bridge URL takes effect within <see cref="CacheFor"/>.
/// </summary>
public sealed class CachedPartnerDirectory(IPartnerStore store, TimeProvider time) : IPartnerDirectory, IPartnerDirectoryCache
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (PartnerEndpoint? Endpoint, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    public async Task<PartnerEndpoint?> FindAsync(string partnerId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(partnerId, out var hit) && hit.Until > now)
        {
            return hit.Endpoint;
        }

        var partner = (await store.GetAsync(partnerId, ct))?.Value;
        var endpoint = partner is null ? null : new PartnerEndpoint(partner.ClientId, partner.BridgeUrl, partner.Roles.ToHashSet(), partner.Active,
            partner.Facilities.ToHashSet(StringComparer.Ordinal));
        cache[partnerId] = (endpoint, now + CacheFor);
        return endpoint;
    }

    /// <summary>Forget a partner after this process changed it.</summary>
    public void Invalidate(string partnerId) => cache.TryRemove(partnerId, out _);
}
