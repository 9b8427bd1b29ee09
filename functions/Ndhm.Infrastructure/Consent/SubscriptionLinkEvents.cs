using Ndhm.Consent.Subscriptions;
using Ndhm.Core.Concurrency;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// The one place every new link passes: Linking's store saving a patient's links at a HIP (patient-confirmed links,
/// HIP add-contexts, and any other writer of the linking store). After a save that adds care contexts (those in the
/// saved document and not in the version it replaced, read just before), the subscriptions in scope are told
/// (<see cref="SubscriptionManager.CareContextsLinkedAsync"/>). Told after the write, so a refused save tells nothing.
/// The manager is resolved on first use: it depends (through consent's care-context check) on this very store.
/// </summary>
public sealed class SubscriptionLinkEvents(ICareContextLinkStore inner, Func<SubscriptionManager> subscriptions, TimeProvider time) : ICareContextLinkStore
{
    public async Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct)
    {
        var before = ifMatch is null ? null : await inner.FindLinksAsync(links.AbhaNumber, links.HipId, ct);
        // Another version than the one replaced: the save below fails with CONCURRENT_UPDATE; compare with nothing then.
        var had = before is not null && before.ETag == ifMatch ? before.Value.CareContexts.Select(c => c.ReferenceNumber).ToHashSet(StringComparer.Ordinal) : [];
        var etag = await inner.SaveLinksAsync(links, ifMatch, ct);
        var added = links.CareContexts.Where(c => !had.Contains(c.ReferenceNumber)).ToList();
        if (added.Count > 0)
        {
            await subscriptions().CareContextsLinkedAsync(links.AbhaNumber, links.HipId,
                added.Select(c => new LinkedCareContextEvent(links.PatientReference, c.ReferenceNumber, c.HiTypes ?? [])).ToList(),
                added.Max(c => c.LinkedAt) is var at && at != default ? at : time.GetUtcNow(), ct);
        }

        return etag;
    }

    public Task<bool> TryOpenDiscoveryAsync(DiscoverySession session, DateTimeOffset now, CancellationToken ct) =>
        inner.TryOpenDiscoveryAsync(session, now, ct);

    public Task<Versioned<DiscoverySession>?> FindDiscoveryAsync(string transactionId, CancellationToken ct) => inner.FindDiscoveryAsync(transactionId, ct);

    public Task<string> ReplaceDiscoveryAsync(DiscoverySession session, string ifMatch, CancellationToken ct) =>
        inner.ReplaceDiscoveryAsync(session, ifMatch, ct);

    public Task CloseDiscoveryAsync(DiscoverySession session, CancellationToken ct) => inner.CloseDiscoveryAsync(session, ct);

    public Task CreateLinkRequestAsync(LinkRequest request, CancellationToken ct) => inner.CreateLinkRequestAsync(request, ct);

    public Task<Versioned<LinkRequest>?> FindLinkRequestAsync(string abhaNumber, string linkRequestId, CancellationToken ct) =>
        inner.FindLinkRequestAsync(abhaNumber, linkRequestId, ct);

    public Task<Versioned<LinkRequest>?> FindLinkRequestByOutboundRequestAsync(string requestId, CancellationToken ct) =>
        inner.FindLinkRequestByOutboundRequestAsync(requestId, ct);

    public Task<IReadOnlyList<Versioned<LinkRequest>>> FindLinkRequestsByReferenceAsync(string abhaNumber, string linkRefNumber, CancellationToken ct) =>
        inner.FindLinkRequestsByReferenceAsync(abhaNumber, linkRefNumber, ct);

    public Task<string> ReplaceLinkRequestAsync(LinkRequest request, string ifMatch, CancellationToken ct) =>
        inner.ReplaceLinkRequestAsync(request, ifMatch, ct);

    public Task<Versioned<CareContextLinks>?> FindLinksAsync(string abhaNumber, string hipId, CancellationToken ct) =>
        inner.FindLinksAsync(abhaNumber, hipId, ct);

    public Task<IReadOnlyList<CareContextLinks>> ListLinksAsync(string abhaNumber, CancellationToken ct) => inner.ListLinksAsync(abhaNumber, ct);

    public Task SaveLinkTokenAsync(LinkToken token, CancellationToken ct) => inner.SaveLinkTokenAsync(token, ct);

    public Task<LinkToken?> FindLinkTokenAsync(string tokenHash, CancellationToken ct) => inner.FindLinkTokenAsync(tokenHash, ct);
}
