using Microsoft.Azure.Cosmos;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Infrastructure.Cosmos;
using Ndhm.Linking.ProfileSharing;

namespace Ndhm.Infrastructure.Linking;

/// <summary>
/// Scan-and-share records in the <c>consents</c> container, one partition each (<c>profile-share:&lt;requestId&gt;</c>,
/// read by the HIP's on-share and the patient's poll). They hold no personal data besides the ABHA number, which stays
/// plain as the scope of the patient's data (as in Health ID's and linking's documents): the HIP id, the counter and
/// the HIP's token number. Updates are If-Match replaces.
/// </summary>
public sealed class CosmosProfileShareStore(CosmosClient client, CosmosSettings settings) : IProfileShareStore
{
    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public Task CreateAsync(ProfileShare share, CancellationToken ct)
    {
        var key = Key(share.RequestId);
        return CosmosDocuments.CreateAsync(Container, new ProfileShareDocument(key, key, "profile-share", share), key,
            () => new DomainException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "The profile share exists."), ct);
    }

    public async Task<Versioned<ProfileShare>?> FindAsync(string requestId, CancellationToken ct)
    {
        if (!Guid.TryParse(requestId, out _)) return null;
        var key = Key(requestId);
        return await CosmosDocuments.TryReadAsync<ProfileShareDocument>(Container, key, key, ct) is { } found
            ? new Versioned<ProfileShare>(found.Document.Share, found.ETag)
            : null;
    }

    public async Task<string?> TryReplaceAsync(ProfileShare share, string ifMatch, CancellationToken ct)
    {
        var key = Key(share.RequestId);
        var (etag, _) = await CosmosDocuments.TryReplaceAsync(Container, new ProfileShareDocument(key, key, "profile-share", share), key, key, ifMatch, ct);
        return etag;
    }

    private static string Key(string requestId) => "profile-share:" + Guid.Parse(requestId).ToString();
}

internal sealed record ProfileShareDocument(string Id, string Pk, string Type, ProfileShare Share);
