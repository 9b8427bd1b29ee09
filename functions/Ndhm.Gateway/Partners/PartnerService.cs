using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Core.Security.Tokens;
using Ndhm.Gateway.Events;

namespace Ndhm.Gateway.Partners;

/// <summary>
/// Partner onboarding and changes (by a platform admin) and partner sessions (client credentials or a refresh token →
/// access token and a rotated refresh token).
/// </summary>
public sealed class PartnerService(IPartnerStore store, IRefreshTokenStore refreshTokens, ClientSecrets secrets, JwtIssuer issuer,
    IPartnerEventSubscriptions subscriptions, HipFacilities hipFacilities, IPartnerDirectoryCache directoryCache, PartnerPolicy policy,
    TimeProvider time)
{
    private readonly RefreshTokenRotator rotator = new(refreshTokens, time);

    /// <summary>Registers a partner from what the admin sent, validated first (<see cref="PartnerRules"/>).</summary>
    /// <returns>The partner and its secret, which is never shown again.</returns>
    public Task<(Versioned<Partner> Partner, string Secret)> RegisterAsync(string? clientId, PartnerDetails details, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(details);
        var registration = new PartnerRegistration(
            PartnerRules.ValidateClientId(clientId),
            PartnerRules.ValidateName(details.Name),
            PartnerRules.ValidateRoles(details.Roles),
            PartnerRules.ValidateBridgeUrl(details.BridgeUrl, policy.IsSandbox),
            PartnerRules.ValidateFacilities(details.Facilities));
        return RegisterAsync(registration, ct);
    }

    /// <summary>
    /// Changes the details given (validated as at registration; absent ones stay), then forgets the partner's cached
    /// directory entry so this instance applies the change at once.
    /// </summary>
    public async Task<Versioned<Partner>> UpdateAsync(string clientId, PartnerDetails details, string? ifMatch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(details);
        var changes = new PartnerChanges(
            details.Name is null ? null : PartnerRules.ValidateName(details.Name),
            details.Roles is null ? null : PartnerRules.ValidateRoles(details.Roles),
            details.BridgeUrl is null ? null : PartnerRules.ValidateBridgeUrl(details.BridgeUrl, policy.IsSandbox),
            details.Facilities is null ? null : PartnerRules.ValidateFacilities(details.Facilities));
        var partner = await UpdateAsync(clientId, changes, ifMatch, ct);
        directoryCache.Invalidate(clientId);
        return partner;
    }

    /// <summary>The first <paramref name="max"/> partners by client id.</summary>
    public Task<IReadOnlyList<Partner>> ListAsync(int max, CancellationToken ct) => store.ListAsync(max, ct);

    /// <summary>
    /// The partner's event stream is made before the partner document, so a partner never exists without one; if the
    /// document then fails, a retry makes the (idempotent) stream again and creates the document. A taken client id
    /// is refused before the stream is touched, so an existing (perhaps deactivated) partner does not get it back.
    /// </summary>
    /// <returns>The partner and its secret, which is never shown again.</returns>
    public async Task<(Versioned<Partner> Partner, string Secret)> RegisterAsync(PartnerRegistration registration, CancellationToken ct)
    {
        if (await store.GetAsync(registration.ClientId, ct) is not null)
        {
            throw PartnerExists();
        }

        await hipFacilities.EnsureServableAsync(registration.Roles, registration.Facilities, ct);
        await subscriptions.EnsureAsync(registration.ClientId, ct);
        var secret = ClientSecrets.Generate();
        var now = time.GetUtcNow();
        var partner = new Partner(registration.ClientId, registration.Name, registration.Roles, registration.BridgeUrl,
            registration.Facilities, true, secrets.Hash(secret), now, now);
        return (await store.CreateAsync(partner, ct), secret);
    }

    public async Task<Versioned<Partner>> GetAsync(string clientId, CancellationToken ct) =>
        await store.GetAsync(PartnerRules.ValidateClientId(clientId), ct)
        ?? throw new DomainException(ErrorKind.NotFound, GatewayErrors.PartnerNotFound, "No partner has this client id.");

    /// <summary>
    /// Changes name, roles, bridge URL or facilities. <paramref name="ifMatch"/> (the ETag the admin read), when given,
    /// must still be current; the write itself is conditional on the version read here, so a change made in between
    /// is never overwritten (412 CONCURRENT_UPDATE either way). A HIP's facilities are checked again when roles or
    /// facilities change.
    /// </summary>
    public async Task<Versioned<Partner>> UpdateAsync(string clientId, PartnerChanges changes, string? ifMatch, CancellationToken ct)
    {
        var read = await GetAsync(clientId, ct);
        if (ifMatch is not null && !ETags.Match(read.ETag, ifMatch))
        {
            throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "The partner changed since it was read.",
                "Read it again and retry with its current ETag in If-Match.");
        }

        if (changes is { Name: null, Roles: null, BridgeUrl: null, Facilities: null })
        {
            return read;
        }

        var partner = read.Value;
        var updated = partner with
        {
            Name = changes.Name ?? partner.Name,
            Roles = changes.Roles ?? partner.Roles,
            BridgeUrl = changes.BridgeUrl ?? partner.BridgeUrl,
            Facilities = changes.Facilities ?? partner.Facilities,
        };

        if (changes.ChangesWhatAHipMayServe)
        {
            await hipFacilities.EnsureServableAsync(updated.Roles, updated.Facilities, ct);
        }

        return await store.ReplaceAsync(updated with { UpdatedAt = time.GetUtcNow() }, read.ETag, ct);
    }

    public async Task<(Partner Partner, string Secret)> RotateSecretAsync(string clientId, CancellationToken ct)
    {
        var (partner, etag) = await GetAsync(clientId, ct);
        var secret = ClientSecrets.Generate();
        var updated = await store.ReplaceAsync(partner with { Secret = secrets.Hash(secret), UpdatedAt = time.GetUtcNow() }, etag, ct);
        return (updated.Value, secret);
    }

    /// <summary>
    /// Sessions stop first (the partner document), then the event stream is deleted: a deactivated partner must not
    /// read another event, and what is still queued for it is not kept for no one. Deleting rather than disabling
    /// also stops new copies (Service Bus keeps copying into a disabled subscription). Deactivating an inactive
    /// partner removes the stream again, so a retry after a failed removal completes it.
    /// </summary>
    public async Task<Partner> DeactivateAsync(string clientId, CancellationToken ct)
    {
        var (partner, etag) = await GetAsync(clientId, ct);
        var deactivated = partner.Active ? (await store.ReplaceAsync(partner with { Active = false, UpdatedAt = time.GetUtcNow() }, etag, ct)).Value : partner;
        await subscriptions.RemoveAsync(clientId, ct);
        // Its issued access tokens are refused at once on this instance, within the cache's lifetime on others.
        directoryCache.Invalidate(clientId);
        return deactivated;
    }

    /// <summary>
    /// Client credentials: a new access token and the first refresh token of a new family. Unknown client, wrong
    /// secret and inactive partner all fail the same way (same code, same work), so the endpoint does not tell which
    /// client ids exist.
    /// </summary>
    public async Task<PartnerSession> OpenSessionAsync(string? clientId, string? clientSecret, SessionLifetimes lifetimes, CancellationToken ct)
    {
        // A client id outside the grammar is refused as such (400), never looked up: it could never name a partner.
        var partner = string.IsNullOrEmpty(clientId) ? null : (await store.GetAsync(PartnerRules.ValidateClientId(clientId), ct))?.Value;
        if (partner is null)
        {
            secrets.Burn(clientSecret);
            throw InvalidCredentials();
        }

        if (!ClientSecrets.Verify(clientSecret, partner.Secret) || !partner.Active)
        {
            throw InvalidCredentials();
        }

        var access = await IssueAccessAsync(partner, lifetimes, ct);
        var refresh = RefreshTokenValue.NewFamily();
        await refreshTokens.CreateAsync(RefreshTokenRules.Start(partner.ClientId, partner.Secret, refresh, time.GetUtcNow(), lifetimes.Refresh), ct);
        return new PartnerSession(access, refresh.ToString(), lifetimes.Refresh);
    }

    /// <summary>
    /// Refresh token: a new access token and a new refresh token that replaces the presented one (rotation). A
    /// replaced token presented again revokes its whole family, since a copy is in someone else's hands. A new client
    /// secret or a deactivation ends every family. The client secret is optional here (ABDM clients send it); when
    /// sent it must be right. Every refusal is the one error of wrong credentials.
    /// </summary>
    public async Task<PartnerSession> RefreshSessionAsync(string? clientId, string? refreshToken, string? clientSecret, SessionLifetimes lifetimes,
        CancellationToken ct)
    {
        RefreshTokenValue? presented = null;
        if (!string.IsNullOrEmpty(clientId)) PartnerRules.ValidateClientId(clientId);
        var family = string.IsNullOrEmpty(clientId) || !RefreshTokenValue.TryParse(refreshToken, out presented)
            ? null
            : await refreshTokens.GetAsync(clientId, presented.FamilyId, ct);
        var partner = family is null ? null : (await store.GetAsync(family.Value.Owner, ct))?.Value;
        if (family is null || partner is null)
        {
            if (clientSecret is not null)
            {
                secrets.Burn(clientSecret);
            }

            throw InvalidCredentials();
        }

        if (clientSecret is not null && !ClientSecrets.Verify(clientSecret, partner.Secret))
        {
            throw InvalidCredentials();
        }

        var outcome = await rotator.RefreshAsync(family, presented!, f => RefreshTokenRules.PartnerValid(f, partner.Secret, partner.Active),
            lifetimes.Refresh, c => IssueAccessAsync(partner, lifetimes, c), ct);
        return outcome.Verdict == RefreshVerdict.Rotate
            ? new PartnerSession(outcome.Issued!, outcome.Next!.ToString(), lifetimes.Refresh)
            : throw InvalidCredentials();
    }

    private Task<IssuedToken> IssueAccessAsync(Partner partner, SessionLifetimes lifetimes, CancellationToken ct) =>
        issuer.IssueAsync(new TokenRequest(partner.ClientId, Audiences.PlatformApi, partner.Roles, lifetimes.Access, ClientId: partner.ClientId), ct);

    private static DomainException PartnerExists() =>
        new(ErrorKind.Conflict, GatewayErrors.PartnerExists, "A partner with this client id already exists.");

    private static DomainException InvalidCredentials() =>
        new(ErrorKind.Unauthenticated, GatewayErrors.InvalidCredentials, "Invalid client credentials.",
            "The client id, secret or refresh token is wrong or no longer valid, or the client is not active.");
}
