namespace Ndhm.Gateway.Partners;

/// <summary>Where partners are kept (Cosmos <c>registry</c> container in production).</summary>
public interface IPartnerStore
{
    Task<Partner?> GetAsync(string clientId, CancellationToken ct);

    /// <exception cref="Ndhm.Core.Errors.DomainException">Conflict PARTNER_EXISTS when the client id is taken.</exception>
    Task<Partner> CreateAsync(Partner partner, CancellationToken ct);

    /// <summary>Replaces the partner if its ETag still matches (412 CONCURRENT_UPDATE otherwise).</summary>
    Task<Partner> ReplaceAsync(Partner partner, CancellationToken ct);

    Task<IReadOnlyList<Partner>> ListAsync(int max, CancellationToken ct);
}
