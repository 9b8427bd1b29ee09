using System.Collections.Concurrent;
using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Gateway;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>Partners in the <c>registry</c> container, one document each, id and pk <c>partner:&lt;clientId&gt;</c>.</summary>
public sealed class CosmosPartnerStore(CosmosClient client, CosmosSettings settings) : IPartnerStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Registry.Name);

    public static string Key(string clientId) => "partner:" + clientId;

    public async Task<Partner?> GetAsync(string clientId, CancellationToken ct)
    {
        try
        {
            var response = await Container.ReadItemAsync<PartnerDocument>(Key(clientId), new PartitionKey(Key(clientId)), cancellationToken: ct);
            return response.Resource.ToDomain(response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Partner> CreateAsync(Partner partner, CancellationToken ct)
    {
        try
        {
            var doc = PartnerDocument.From(partner);
            var response = await Container.CreateItemAsync(doc, new PartitionKey(doc.Pk), cancellationToken: ct);
            return partner with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DomainException(ErrorKind.Conflict, GatewayErrors.PartnerExists, "A partner with this client id already exists.");
        }
    }

    public async Task<Partner> ReplaceAsync(Partner partner, CancellationToken ct)
    {
        try
        {
            var doc = PartnerDocument.From(partner);
            var response = await Container.ReplaceItemAsync(doc, doc.Id, new PartitionKey(doc.Pk),
                new ItemRequestOptions { IfMatchEtag = partner.ETag }, ct);
            return partner with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The partner changed meanwhile; retry.");
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DomainException(ErrorKind.NotFound, GatewayErrors.PartnerNotFound, "No partner has this client id.");
        }
    }

    public async Task<IReadOnlyList<Partner>> ListAsync(int max, CancellationToken ct)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'partner' ORDER BY c.clientId").WithParameter("@max", max);
        var result = new List<Partner>();
        using var iterator = Container.GetItemQueryIterator<PartnerDocument>(query);
        while (iterator.HasMoreResults && result.Count < max)
        {
            foreach (var doc in await iterator.ReadNextAsync(ct))
            {
                result.Add(doc.ToDomain(null));
            }
        }

        return result;
    }
}

internal sealed record PartnerDocument(
    string Id, string Pk, string Type, string ClientId, string Name, IReadOnlyList<string> Roles, string BridgeUrl,
    IReadOnlyList<string> Facilities, bool Active, HashedSecret Secret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PartnerDocument From(Partner p) =>
        new(CosmosPartnerStore.Key(p.ClientId), CosmosPartnerStore.Key(p.ClientId), "partner", p.ClientId, p.Name, p.Roles,
            p.BridgeUrl.ToString(), p.Facilities, p.Active, p.Secret, p.CreatedAt, p.UpdatedAt);

    public Partner ToDomain(string? etag) =>
        new(ClientId, Name, Roles, new Uri(BridgeUrl), Facilities, Active, Secret, CreatedAt, UpdatedAt, etag);
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

        var partner = await store.GetAsync(partnerId, ct);
        var endpoint = partner is null ? null : new PartnerEndpoint(partner.ClientId, partner.BridgeUrl, partner.Roles.ToHashSet(), partner.Active,
            partner.Facilities.ToHashSet(StringComparer.Ordinal));
        cache[partnerId] = (endpoint, now + CacheFor);
        return endpoint;
    }

    /// <summary>Forget a partner after this process changed it.</summary>
    public void Invalidate(string partnerId) => cache.TryRemove(partnerId, out _);
}
