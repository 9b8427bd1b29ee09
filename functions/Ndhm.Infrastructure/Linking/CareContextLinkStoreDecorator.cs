using Ndhm.Core.Concurrency;
using Ndhm.Linking;

namespace Ndhm.Infrastructure.Linking;

/// <summary>
/// A wrapper of Linking's store that passes every call to <paramref name="inner"/>; a decorator overrides only what it
/// watches (the analytics facts and the subscription events both watch <see cref="SaveLinksAsync"/>).
/// </summary>
public abstract class CareContextLinkStoreDecorator(ICareContextLinkStore inner) : ICareContextLinkStore
{
    protected ICareContextLinkStore Inner { get; } = inner;

    public virtual Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct) => Inner.SaveLinksAsync(links, ifMatch, ct);

    public Task<bool> TryOpenDiscoveryAsync(DiscoverySession session, DateTimeOffset now, CancellationToken ct) =>
        Inner.TryOpenDiscoveryAsync(session, now, ct);

    public Task<Versioned<DiscoverySession>?> FindDiscoveryAsync(string transactionId, CancellationToken ct) => Inner.FindDiscoveryAsync(transactionId, ct);

    public Task<string> ReplaceDiscoveryAsync(DiscoverySession session, string ifMatch, CancellationToken ct) =>
        Inner.ReplaceDiscoveryAsync(session, ifMatch, ct);

    public Task CloseDiscoveryAsync(DiscoverySession session, CancellationToken ct) => Inner.CloseDiscoveryAsync(session, ct);

    public Task CreateLinkRequestAsync(LinkRequest request, CancellationToken ct) => Inner.CreateLinkRequestAsync(request, ct);

    public Task<Versioned<LinkRequest>?> FindLinkRequestAsync(string abhaNumber, string linkRequestId, CancellationToken ct) =>
        Inner.FindLinkRequestAsync(abhaNumber, linkRequestId, ct);

    public Task<Versioned<LinkRequest>?> FindLinkRequestByOutboundRequestAsync(string requestId, CancellationToken ct) =>
        Inner.FindLinkRequestByOutboundRequestAsync(requestId, ct);

    public Task<IReadOnlyList<Versioned<LinkRequest>>> FindLinkRequestsByReferenceAsync(string abhaNumber, string linkRefNumber, CancellationToken ct) =>
        Inner.FindLinkRequestsByReferenceAsync(abhaNumber, linkRefNumber, ct);

    public Task<string> ReplaceLinkRequestAsync(LinkRequest request, string ifMatch, CancellationToken ct) =>
        Inner.ReplaceLinkRequestAsync(request, ifMatch, ct);

    public Task<Versioned<CareContextLinks>?> FindLinksAsync(string abhaNumber, string hipId, CancellationToken ct) =>
        Inner.FindLinksAsync(abhaNumber, hipId, ct);

    public Task<IReadOnlyList<CareContextLinks>> ListLinksAsync(string abhaNumber, CancellationToken ct) => Inner.ListLinksAsync(abhaNumber, ct);

    public Task SaveLinkTokenAsync(LinkToken token, CancellationToken ct) => Inner.SaveLinkTokenAsync(token, ct);

    public Task<LinkToken?> FindLinkTokenAsync(string tokenHash, CancellationToken ct) => Inner.FindLinkTokenAsync(tokenHash, ct);
}
