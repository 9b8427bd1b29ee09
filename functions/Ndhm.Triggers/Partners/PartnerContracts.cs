using Ndhm.Gateway.Partners;

namespace Ndhm.Triggers.Partners;

public sealed record RegisterPartnerRequest(string? ClientId, string? Name, IReadOnlyList<string>? Roles, string? BridgeUrl, IReadOnlyList<string>? Facilities);

/// <summary>PATCH body: only the fields present change (an empty <c>facilities</c> list removes them all).</summary>
public sealed record UpdatePartnerRequest(string? Name, IReadOnlyList<string>? Roles, string? BridgeUrl, IReadOnlyList<string>? Facilities);

public sealed record PartnerResponse(string ClientId, string Name, IReadOnlyList<string> Roles, string BridgeUrl,
    IReadOnlyList<string> Facilities, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static PartnerResponse From(Partner p) =>
        new(p.ClientId, p.Name, p.Roles, p.BridgeUrl.ToString(), p.Facilities, p.Active, p.CreatedAt, p.UpdatedAt);
}

/// <summary>The only response that ever shows the client secret.</summary>
public sealed record PartnerCredentialsResponse(string ClientId, string ClientSecret, PartnerResponse Partner);

public sealed record PartnerListResponse(IReadOnlyList<PartnerResponse> Partners);

/// <summary>
/// ABDM gateway sessions request (<c>/v0.5/sessions</c>): <c>client_credentials</c> with clientId and clientSecret, or
/// <c>refresh_token</c> with clientId and refreshToken (clientSecret optional, checked when sent).
/// </summary>
public sealed record SessionRequest(string? ClientId, string? ClientSecret, string? GrantType, string? RefreshToken = null);

/// <summary>ABDM gateway sessions response; <c>expiresIn</c> and <c>refreshExpiresIn</c> are in seconds.</summary>
public sealed record SessionResponse(string AccessToken, int ExpiresIn, int RefreshExpiresIn, string RefreshToken, string TokenType)
{
    public static SessionResponse From(PartnerSession session) =>
        new(session.Access.Token, (int)(session.Access.ExpiresAt - session.Access.IssuedAt).TotalSeconds, (int)session.RefreshLifetime.TotalSeconds,
            session.RefreshToken, "bearer");
}
