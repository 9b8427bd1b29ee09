using Microsoft.Azure.Cosmos;
using Ndhm.Core.Ids;
using Ndhm.Core.Partners;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Gateway;

/// <summary>
/// The partners that named a facility, one document per facility in the <c>registry</c> container (id and pk
/// <c>facility-partners:&lt;facilityId&gt;</c>). The partner store adds a partner to its facilities' documents before
/// it writes the partner and removes it after, so the index always holds every partner serving the facility (and at
/// worst a stale one, which readers drop by reading the partner itself).
/// </summary>
public sealed class FacilityPartnerIndex(CosmosClient client, CosmosSettings settings)
{
    private const int MaxAttempts = 10;

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Registry.Name);

    public static string Key(string facilityId) => "facility-partners:" + DocumentIds.Ensure(facilityId, "facilityId");

    /// <summary>The client ids recorded for <paramref name="facilityId"/> (none when it has no document or an unsafe id).</summary>
    public async Task<IReadOnlyList<string>> ClientIdsAsync(string facilityId, CancellationToken ct)
    {
        if (!DocumentIds.IsSafe(facilityId)) return [];
        var key = Key(facilityId);
        return (await CosmosDocuments.FindAsync<FacilityPartnersDocument>(Container, key, key, ct))?.ClientIds ?? [];
    }

    /// <summary>Adds the partner to the facility's document; false when it was there already.</summary>
    public Task<bool> AddAsync(string facilityId, string clientId, CancellationToken ct) =>
        ChangeAsync(facilityId, ids => ids.Contains(clientId, StringComparer.Ordinal) ? null : [.. ids, clientId], ct);

    public Task<bool> RemoveAsync(string facilityId, string clientId, CancellationToken ct) =>
        ChangeAsync(facilityId, ids => ids.Contains(clientId, StringComparer.Ordinal) ? ids.Where(i => i != clientId).ToList() : null, ct);

    /// <summary>
    /// Read, change, write If-Match (create when absent); a lost race re-reads. <paramref name="change"/> null: nothing
    /// to do (false); true when this call wrote.
    /// </summary>
    private async Task<bool> ChangeAsync(string facilityId, Func<IReadOnlyList<string>, IReadOnlyList<string>?> change, CancellationToken ct)
    {
        var key = Key(facilityId);
        for (var attempt = 1; ; attempt++)
        {
            var read = await CosmosDocuments.TryReadAsync<FacilityPartnersDocument>(Container, key, key, ct);
            if (change(read?.Document.ClientIds ?? []) is not { } next) return false;
            var doc = new FacilityPartnersDocument(key, key, "facility-partners", facilityId, next.Order(StringComparer.Ordinal).ToList());
            if (read is null)
            {
                if (await CosmosDocuments.TryCreateAsync(Container, doc, key, ct) is not null) return true;
                if (attempt >= MaxAttempts) throw new InvalidOperationException($"The partner index of facility {facilityId} kept changing.");
                continue;
            }

            var (etag, _) = await CosmosDocuments.TryReplaceAsync(Container, doc, key, key, read.Value.ETag, ct);
            if (etag is not null) return true;
            if (attempt >= MaxAttempts) throw new InvalidOperationException($"The partner index of facility {facilityId} kept changing.");
        }
    }
}

/// <summary>
/// The <c>facility-partners</c> backfill as a data migration (<c>POST /api/v1/admin/migrations/facility-partner-index</c>):
/// every partner, by client id, added to its facilities' index documents. For deployments whose partners were
/// registered before the index existed (a sandbox does this itself at start-up).
/// </summary>
public sealed class FacilityPartnerIndexMigration(CosmosPartnerStore partners) : Ndhm.Core.Maintenance.IDataMigration
{
    public const string MigrationName = "facility-partner-index";

    public string Name => MigrationName;

    public Task<Ndhm.Core.Maintenance.MigrationPage> RunPageAsync(string? after, int max, CancellationToken ct) =>
        partners.ReindexPageAsync(after, max, ct);
}

internal sealed record FacilityPartnersDocument(string Id, string Pk, string Type, string FacilityId, IReadOnlyList<string> ClientIds);

/// <summary>
/// <see cref="IFacilityPartners"/>: the facility's index document, then each partner named there read fresh from the
/// partner store (point reads) and kept only when it is active, holds the role and still serves the facility.
/// </summary>
public sealed class IndexedFacilityPartners(FacilityPartnerIndex index, Ndhm.Gateway.Partners.IPartnerStore partners) : IFacilityPartners
{
    public async Task<IReadOnlyList<PartnerEndpoint>> ServingAsync(string facilityId, string role, CancellationToken ct)
    {
        var serving = new List<PartnerEndpoint>();
        foreach (var clientId in await index.ClientIdsAsync(facilityId, ct))
        {
            if ((await partners.GetAsync(clientId, ct))?.Value is not { Active: true } partner
                || !partner.Roles.Contains(role) || !partner.Facilities.Contains(facilityId)) continue;
            serving.Add(new PartnerEndpoint(partner.ClientId, partner.BridgeUrl, partner.Roles.ToHashSet(), partner.Active,
                partner.Facilities.ToHashSet(StringComparer.Ordinal)));
        }

        return serving.OrderBy(p => p.PartnerId, StringComparer.Ordinal).ToList();
    }
}
