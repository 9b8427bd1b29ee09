using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
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

    public async Task<Versioned<RefreshFamily>?> GetAsync(string clientId, string familyId, CancellationToken ct) =>
        await CosmosDocuments.TryReadAsync<RefreshFamilyDocument>(Container, Id(familyId), Partition(clientId), ct) is { } read
            ? new Versioned<RefreshFamily>(read.Document.ToDomain(), read.ETag)
            : null;

    public async Task<Versioned<RefreshFamily>> CreateAsync(RefreshFamily family, CancellationToken ct)
    {
        var doc = RefreshFamilyDocument.From(family, Ttl(family));
        // Family ids are random: a clash is a fault, reported as one.
        var etag = await CosmosDocuments.CreateAsync(Container, doc, doc.Pk,
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "A refresh token family with this id already exists."), ct);
        return new Versioned<RefreshFamily>(family, etag);
    }

    public async Task<Versioned<RefreshFamily>> ReplaceAsync(RefreshFamily family, string ifMatch, CancellationToken ct)
    {
        var doc = RefreshFamilyDocument.From(family, Ttl(family));
        var etag = await CosmosDocuments.ReplaceAsync(Container, doc, doc.Id, doc.Pk, ifMatch, ChangedMeanwhile, ChangedMeanwhile, ct);
        return new Versioned<RefreshFamily>(family, etag);
    }

    private static DomainException ChangedMeanwhile() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The refresh token changed meanwhile.");

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

    public RefreshFamily ToDomain() =>
        new(FamilyId, ClientId, SecretStamp, CurrentHash, CurrentExpiresAt, Rotated, CreatedAt, RevokedAt);
}
