namespace Ndhm.Core.Partners;

/// <summary>
/// Where the gateway finds a partner's bridge (callback base URL) and what the partner may do. The registry
/// owns partners; the gateway only reads them through this port.
/// </summary>
public interface IPartnerDirectory
{
    /// <returns>null when no partner has this client id.</returns>
    Task<PartnerEndpoint?> FindAsync(string partnerId, CancellationToken ct);
}

/// <param name="PartnerId">The partner's client id (the <c>sub</c> of its access tokens).</param>
/// <param name="BridgeUrl">Base URL callbacks and webhooks are sent to.</param>
/// <param name="Facilities">HFR facility ids the partner serves (a HIP may act only as one of these).</param>
public sealed record PartnerEndpoint(string PartnerId, Uri BridgeUrl, IReadOnlySet<string> Roles, bool Active,
    IReadOnlySet<string>? Facilities = null);
