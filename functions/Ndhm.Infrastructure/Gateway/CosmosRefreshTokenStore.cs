using Ndhm.Core.Ids;
using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.Gateway.Partners;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// Refresh-token families in the <c>gateway</c> container: id <c>refresh:&lt;familyId&gt;</c>, pk
/// <c>refresh:&lt;clientId&gt;</c> (a partner's families share a partition). Each document expires (TTL) with its
/// current token: after that nothing in it could be accepted, and a late reuse is refused as unknown.
/// </summary>
public sealed class CosmosRefreshTokenStore(CosmosClient client, CosmosSettings settings, TimeProvider time) : IRefreshTokenStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Gateway.Name);

    public static string Id(string familyId) => "refresh:" + familyId;

    public static string Partition(string clientId) => "refresh:" + clientId;

    public async Task<RefreshFamily?> GetAsync(string clientId, string familyId, CancellationToken ct)
    {
        try
        {
            var response = await Container.ReadItemAsync<RefreshFamilyDocument>(Id(DocumentIds.Ensure(familyId, "familyId")),
                new PartitionKey(Partition(DocumentIds.Ensure(clientId, "clientId"))), cancellationToken: ct);
            return response.Resource.ToDomain(response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<RefreshFamily> CreateAsync(RefreshFamily family, CancellationToken ct)
    {
        var doc = RefreshFamilyDocument.From(family, Ttl(family));
        var response = await Container.CreateItemAsync(doc, new PartitionKey(doc.Pk), cancellationToken: ct);
        return family with { ETag = response.ETag };
    }

    public async Task<RefreshFamily> ReplaceAsync(RefreshFamily family, CancellationToken ct)
    {
        try
        {
            var doc = RefreshFamilyDocument.From(family, Ttl(family));
            var response = await Container.ReplaceItemAsync(doc, doc.Id, new PartitionKey(doc.Pk), new ItemRequestOptions { IfMatchEtag = family.ETag }, ct);
            return family with { ETag = response.ETag };
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The refresh token changed meanwhile.");
        }
    }

    /// <summary>Seconds until the current token expires, plus a minute so a clock skew never drops a valid family early.</summary>
    private int Ttl(RefreshFamily family) =>
        (int)Math.Clamp(Math.Ceiling((family.CurrentExpiresAt - time.GetUtcNow()).TotalSeconds) + 60, 60, int.MaxValue);
}

internal sealed record RefreshFamilyDocument(
    string Id, string Pk, string Type, string FamilyId, string ClientId, string SecretStamp, string CurrentHash, DateTimeOffset CurrentExpiresAt,
    IReadOnlyList<RotatedRefreshToken> Rotated, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, int Ttl)
{
    public static RefreshFamilyDocument From(RefreshFamily f, int ttl) =>
        new(CosmosRefreshTokenStore.Id(f.FamilyId), CosmosRefreshTokenStore.Partition(f.ClientId), "refresh-family", f.FamilyId, f.ClientId,
            f.SecretStamp, f.CurrentHash, f.CurrentExpiresAt, f.Rotated, f.CreatedAt, f.RevokedAt, ttl);

    public RefreshFamily ToDomain(string etag) =>
        new(FamilyId, ClientId, SecretStamp, CurrentHash, CurrentExpiresAt, Rotated, CreatedAt, RevokedAt, etag);
}
