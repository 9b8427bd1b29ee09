namespace Ndhm.Triggers.WebApp;

/// <summary>An analytics partner's client credentials, as for <c>POST /api/v1/sessions</c> (grant client_credentials).</summary>
public sealed record AnalyticsSignInRequest(string? ClientId, string? ClientSecret);

/// <summary>A started analytics session: who signed in and the CSRF token; the access token stays in an HttpOnly cookie.</summary>
public sealed record AnalyticsSessionResponse(string Message, string ClientId, string CsrfToken, int ExpiresIn);
