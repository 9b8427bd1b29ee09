using Ndhm.Core.Concurrency;

namespace Ndhm.Gateway.Partners;

/// <summary>Where partners are kept (Cosmos <c>registry</c> container in production).</summary>
public interface IPartnerStore
{
    Task<Versioned<Partner>?> GetAsync(string clientId, CancellationToken ct);

    /// <exception cref="Ndhm.Core.Errors.DomainException">Conflict PARTNER_EXISTS when the client id is taken.</exception>
    Task<Versioned<Partner>> CreateAsync(Partner partner, CancellationToken ct);

    /// <summary>Replaces the partner if <paramref name="ifMatch"/> is still its ETag (412 CONCURRENT_UPDATE otherwise).</summary>
    Task<Versioned<Partner>> ReplaceAsync(Partner partner, string ifMatch, CancellationToken ct);

    Task<IReadOnlyList<Partner>> ListAsync(int max, CancellationToken ct);
}
