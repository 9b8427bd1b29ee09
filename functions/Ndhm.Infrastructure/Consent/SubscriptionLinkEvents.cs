using Ndhm.Consent.Subscriptions;
using Ndhm.Infrastructure.Linking;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// The one place every new link passes: Linking's store saving a patient's links at a HIP (patient-confirmed links,
/// HIP add-contexts, and any other writer of the linking store). After a save that adds care contexts (those in the
/// saved document and not in the version it replaced, read just before), the subscriptions in scope are told
/// (<see cref="SubscriptionManager.CareContextsLinkedAsync"/>). Told after the write, so a refused save tells nothing;
/// written down before it (<see cref="SubscriptionManager.CareContextsLinkingAsync"/>, only when a subscription wants
/// it), so a crash between the save and the telling leaves the event for the consent sweep to tell. The manager is
/// resolved on first use: it depends (through consent's care-context check) on this very store.
/// </summary>
public sealed class SubscriptionLinkEvents(ICareContextLinkStore inner, Func<SubscriptionManager> subscriptions, TimeProvider time)
    : CareContextLinkStoreDecorator(inner)
{
    public override async Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct)
    {
        var before = ifMatch is null ? null : await Inner.FindLinksAsync(links.AbhaNumber, links.HipId, ct);
        // Another version than the one replaced: the save below fails with CONCURRENT_UPDATE; compare with nothing then.
        var had = before is not null && before.ETag == ifMatch ? before.Value.CareContexts.Select(c => c.ReferenceNumber).ToHashSet(StringComparer.Ordinal) : [];
        var added = links.CareContexts.Where(c => !had.Contains(c.ReferenceNumber)).ToList();
        if (added.Count == 0 || (ifMatch is not null && before?.ETag != ifMatch)) return await Inner.SaveLinksAsync(links, ifMatch, ct);

        var contexts = added.Select(c => new LinkedCareContextEvent(links.PatientReference, c.ReferenceNumber, c.HiTypes ?? [])).ToList();
        var at = added.Max(c => c.LinkedAt) is var linkedAt && linkedAt != default ? linkedAt : time.GetUtcNow();
        var pending = await subscriptions().CareContextsLinkingAsync(links.AbhaNumber, links.HipId, contexts, at, ct);
        string etag;
        try
        {
            etag = await Inner.SaveLinksAsync(links, ifMatch, ct);
        }
        catch when (pending is not null)
        {
            await subscriptions().LinkNotSavedAsync(pending, CancellationToken.None);
            throw;
        }

        await subscriptions().CareContextsLinkedAsync(links.AbhaNumber, links.HipId, contexts, at, ct, pending);
        return etag;
    }
}
