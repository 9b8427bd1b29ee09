using Microsoft.AspNetCore.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// The analytics dashboard's session, kept apart from the patient's: the ANALYTICS partner's access token in an
/// HttpOnly cookie whose path is the analytics API (<c>/api/v1/analytics</c>), so the browser sends it nowhere else,
/// and a CSRF token bound to it (a hash of the token, as for the patient's session) in a cookie the dashboard reads.
/// The gate accepts the cookie only on the aggregate query (<see cref="Http.AnalyticsWebSessionAttribute"/>) and only
/// for a token whose sole role is ANALYTICS. There is no refresh: when the access token expires, the official signs in again.
/// </summary>
public static class AnalyticsSessionCookies
{
    public const string SessionCookie = "ndhm_analytics";
    public const string CsrfCookie = "ndhm_analytics_csrf";
    public const string ApiPath = "/" + WebAppAssets.HostRoutePrefix + "/v1/analytics";

    public static string Start(HttpContext http, string accessToken, int expiresInSeconds)
    {
        var secure = http.Request.IsHttps;
        var csrf = WebSessionCookies.CsrfTokenFor(accessToken);
        http.Response.Cookies.Append(SessionCookie, accessToken, WebSessionCookies.Options(secure, httpOnly: true, ApiPath, expiresInSeconds));
        http.Response.Cookies.Append(CsrfCookie, csrf, WebSessionCookies.Options(secure, httpOnly: false, "/", expiresInSeconds));
        http.Response.Headers.CacheControl = "no-store";
        return csrf;
    }

    public static void End(HttpContext http)
    {
        var secure = http.Request.IsHttps;
        http.Response.Cookies.Delete(SessionCookie, WebSessionCookies.Options(secure, httpOnly: true, ApiPath, 0));
        http.Response.Cookies.Delete(CsrfCookie, WebSessionCookies.Options(secure, httpOnly: false, "/", 0));
        http.Response.Headers.CacheControl = "no-store";
    }

    /// <summary>The session's access token, or null without the cookie; on an unsafe method the CSRF header must match.</summary>
    public static string? AccessToken(HttpRequest request) =>
        WebSessionCookies.CsrfCheckedToken(request, SessionCookie, CsrfCookie, "An analytics session's");
}
