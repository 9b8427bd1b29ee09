using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Security.Tokens;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Security;

/// <summary>
/// Refresh-token families in a container with TTL: id <c>refresh:&lt;familyId&gt;</c>, partition chosen by the owner's
/// adapter (a partner's families share <c>refresh:&lt;clientId&gt;</c>; a patient's family is its own partition). Each
/// document expires (TTL) with its current token: after that nothing in it could be accepted, and a late reuse is
/// refused as unknown.
/// </summary>
public abstract class CosmosRefreshFamilies(Container container, Func<RefreshFamilyKey, string> partitionOf, TimeProvider time)
    : IRefreshFamilyStore
{
    public static string Id(string familyId) => "refresh:" + familyId;

    protected async Task<Versioned<RefreshFamily>?> GetAsync(RefreshFamilyKey key, CancellationToken ct) =>
        await CosmosDocuments.TryReadAsync<RefreshFamilyDocument>(container, Id(key.FamilyId), partitionOf(key), ct) is { } read
            ? new Versioned<RefreshFamily>(read.Document.ToDomain(), read.ETag)
            : null;

    public Task<Versioned<RefreshFamily>?> ReloadAsync(RefreshFamily family, CancellationToken ct) =>
        GetAsync(RefreshFamilyKey.Of(family), ct);

    public async Task<Versioned<RefreshFamily>> CreateAsync(RefreshFamily family, CancellationToken ct)
    {
        var doc = Document(family);
        // Family ids are random: a clash is a fault, reported as one.
        var etag = await CosmosDocuments.CreateAsync(container, doc, doc.Pk,
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "A refresh token family with this id already exists."), ct);
        return new Versioned<RefreshFamily>(family, etag);
    }

    public async Task<Versioned<RefreshFamily>> ReplaceAsync(RefreshFamily family, string ifMatch, CancellationToken ct)
    {
        var doc = Document(family);
        var etag = await CosmosDocuments.ReplaceAsync(container, doc, doc.Id, doc.Pk, ifMatch, ChangedMeanwhile, ChangedMeanwhile, ct);
        return new Versioned<RefreshFamily>(family, etag);
    }

    private RefreshFamilyDocument Document(RefreshFamily family) =>
        RefreshFamilyDocument.From(family, partitionOf(RefreshFamilyKey.Of(family)), Ttl(family));

    private static DomainException ChangedMeanwhile() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The refresh token changed meanwhile.");

    /// <summary>Seconds until the current token expires, plus a minute so a clock skew never drops a valid family early.</summary>
    private int Ttl(RefreshFamily family) =>
        (int)Math.Clamp(Math.Ceiling((family.CurrentExpiresAt - time.GetUtcNow()).TotalSeconds) + 60, 60, int.MaxValue);
}

/// <summary>What finds a family: its owner (when the lookup knows it) and its id.</summary>
public sealed record RefreshFamilyKey(string? Owner, string FamilyId)
{
    public static RefreshFamilyKey Of(RefreshFamily family) => new(family.Owner, family.FamilyId);
}

/// <summary>
/// The stored family. The owner and binding keep the field names partner families were first stored with
/// (<c>clientId</c>, <c>secretStamp</c>); for a patient's family they hold the ABHA number and an empty binding.
/// </summary>
internal sealed record RefreshFamilyDocument(
    string Id, string Pk, string Type, string FamilyId, string ClientId, string SecretStamp, string CurrentHash, DateTimeOffset CurrentExpiresAt,
    IReadOnlyList<RotatedRefreshToken> Rotated, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, int Ttl)
{
    public static RefreshFamilyDocument From(RefreshFamily f, string pk, int ttl) =>
        new(CosmosRefreshFamilies.Id(f.FamilyId), pk, "refresh-family", f.FamilyId, f.Owner, f.Binding, f.CurrentHash, f.CurrentExpiresAt,
            f.Rotated, f.CreatedAt, f.RevokedAt, ttl);

    public RefreshFamily ToDomain() =>
        new(FamilyId, ClientId, SecretStamp, CurrentHash, CurrentExpiresAt, Rotated, CreatedAt, RevokedAt);
}
