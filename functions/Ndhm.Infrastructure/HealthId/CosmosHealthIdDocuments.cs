using Ndhm.Core.Ids;
using System.Net;
using Microsoft.Azure.Cosmos;
using Ndhm.Core.Errors;
using Ndhm.HealthId.Accounts;

namespace Ndhm.Infrastructure.HealthId;

/// <summary>
/// Small documents of the <c>health-ids</c> container besides the accounts. Each is its own partition (id = pk), so
/// every access is a point operation. Kinds: <c>numberReservation</c> (id <c>number:{digits}</c>),
/// <c>aadhaarClaim</c> (id <c>aadhaar:{hash}</c>), <c>addressClaim</c> (id = the lower-case address).
/// </summary>
public sealed record HealthIdClaimDocument(string Id, string Pk, string Kind, string AbhaNumber, DateTimeOffset CreatedAt);

/// <summary>
/// An address claim (kind <c>addressClaim</c>, id = pk = the lower-case address) with the holder's
/// <see cref="AbhaLookupView"/>, so a lookup by address is one point read. <see cref="View"/> is null in claims
/// written before views existed (they are resolved through the account until the account next changes).
/// </summary>
public sealed record AbhaAddressClaimDocument(string Id, string Pk, string Kind, string AbhaNumber, DateTimeOffset CreatedAt,
    AbhaLookupView? View);

/// <summary>Maps Cosmos failures to domain errors at the adapter boundary, like every other adapter.</summary>
internal static class CosmosHealthIdErrors
{
    public static DomainException ConcurrentUpdate() =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The document changed meanwhile",
            "Someone else changed this record at the same moment; read it again and retry.");

    public static DomainException AlreadyExists() =>
        new(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "The document already exists",
            "A record with this id was created at the same moment.");

    public static async Task<T?> ReadOrNullAsync<T>(Container container, string id, CancellationToken ct)
        where T : class
    {
        try
        {
            var response = await container.ReadItemAsync<T>(DocumentIds.Ensure(id), new PartitionKey(id), cancellationToken: ct).ConfigureAwait(false);
            return response.Resource;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static async Task<(T Document, string ETag)?> ReadWithETagAsync<T>(Container container, string id, CancellationToken ct)
    {
        try
        {
            var response = await container.ReadItemAsync<T>(DocumentIds.Ensure(id), new PartitionKey(id), cancellationToken: ct).ConfigureAwait(false);
            return (response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Create-only: true when this call created it, false when the id already existed.</summary>
    public static async Task<bool> TryCreateAsync<T>(Container container, T document, string id, CancellationToken ct)
    {
        try
        {
            await container.CreateItemAsync(document, new PartitionKey(id), NoContent, ct).ConfigureAwait(false);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    public static async Task<string> CreateAsync<T>(Container container, T document, string id, CancellationToken ct)
    {
        try
        {
            var response = await container.CreateItemAsync(document, new PartitionKey(id), NoContent, ct).ConfigureAwait(false);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw AlreadyExists();
        }
    }

    public static async Task<string> ReplaceAsync<T>(Container container, T document, string id, string ifMatch, CancellationToken ct)
    {
        try
        {
            var response = await container.ReplaceItemAsync(document, id, new PartitionKey(id),
                new ItemRequestOptions { IfMatchEtag = ifMatch, EnableContentResponseOnWrite = false }, ct).ConfigureAwait(false);
            return response.ETag;
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw ConcurrentUpdate();
        }
    }

    public static readonly ItemRequestOptions NoContent = new() { EnableContentResponseOnWrite = false };
}
