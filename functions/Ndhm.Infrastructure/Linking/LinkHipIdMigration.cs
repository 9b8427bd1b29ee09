using Ndhm.Core.Maintenance;
using Ndhm.Core.Partners;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Linking;

/// <summary>
/// Moves links stored under a HIP partner's client id (before one HIP id: a partner serving one facility linked under
/// its client id, while consents and transfers name the facility) to that facility, as linking stores them now
/// (<c>POST /api/v1/admin/migrations/link-hip-ids</c>). For each such document of a partner serving exactly one
/// facility: the care contexts are added to the patient's links at the facility (those already there are kept as
/// they are), re-encrypted under the new document id, then the old document is removed (If-Match). A crash between the
/// two leaves both, and the next run merges nothing new and removes the old one; a partner serving no facility or
/// several keeps its client id as its HIP id, so its links stay. Pages by patient partition.
/// </summary>
public sealed class LinkHipIdMigration(CosmosCareContextLinkStore store, IPartnerDirectory partners) : IDataMigration
{
    public const string MigrationName = "link-hip-ids";

    public string Name => MigrationName;

    public async Task<MigrationPage> RunPageAsync(string? after, int max, CancellationToken ct)
    {
        var found = await store.ListPartnerKeyedLinksAsync(after, max, ct);
        var changed = 0;
        foreach (var (_, abhaNumber, hipId, partnerId) in found)
        {
            if (await partners.FindAsync(partnerId, ct) is not { } partner || partner.Facilities is not { Count: 1 } facilities) continue;
            if (await MoveAsync(abhaNumber, hipId, facilities.First(), ct)) changed++;
        }

        return new MigrationPage(MigrationName, found.Count, changed, found.Count < max ? null : found[^1].Partition);
    }

    private async Task<bool> MoveAsync(string abhaNumber, string oldHipId, string facility, CancellationToken ct)
    {
        if (await store.FindLinksAsync(abhaNumber, oldHipId, ct) is not { } old) return false;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var current = await store.FindLinksAsync(abhaNumber, facility, ct);
            var target = current?.Value ?? old.Value with { HipId = facility, CareContexts = [] };
            var adding = old.Value.CareContexts.Where(c => !target.Has(c.ReferenceNumber)).ToList();
            if (adding.Count > 0 || current is null)
            {
                try
                {
                    await store.SaveLinksAsync(target with { CareContexts = [.. target.CareContexts, .. adding] }, current?.ETag, ct);
                }
                catch (Ndhm.Core.Errors.DomainException e) when (e.Kind == Ndhm.Core.Errors.ErrorKind.PreconditionFailed)
                {
                    continue; // linked meanwhile: merge again
                }
            }

            return await store.DeleteLinksAsync(abhaNumber, oldHipId, old.ETag, ct);
        }

        return false;
    }
}
