using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Ndhm.Core.Errors;
using Ndhm.Triggers.HealthId;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// The web app's session: the patient's access token in an HttpOnly cookie scripts cannot read (path /api, SameSite
/// Strict, Secure over HTTPS), the refresh token in another sent only to <c>/api/app/session</c>, and a CSRF token
/// bound to the session (a hash of the access token, so it cannot be made without it) in a cookie the app reads and
/// sends back as <see cref="CsrfHeader"/> on every unsafe request. The gate accepts the session cookie only on
/// endpoints a PATIENT may call, only for a PATIENT token, and never on an unsafe method without the matching header.
/// </summary>
public static class WebSessionCookies
{
    public const string SessionCookie = "ndhm_session";
    public const string RefreshCookie = "ndhm_refresh";
    public const string CsrfCookie = "ndhm_csrf";
    public const string CsrfHeader = "X-CSRF-Token";
    private const string ApiPath = "/" + WebAppAssets.HostRoutePrefix;
    private const string SessionPath = ApiPath + "/" + WebAppAssets.RoutePrefix + "/session";

    /// <summary>Sets the three cookies for a new or refreshed session; returns the CSRF token (the app also reads it from its cookie).</summary>
    public static string Start(HttpContext http, PatientTokens tokens)
    {
        var secure = http.Request.IsHttps;
        var csrf = CsrfTokenFor(tokens.Token);
        var cookies = http.Response.Cookies;
        cookies.Append(SessionCookie, tokens.Token, Options(secure, httpOnly: true, ApiPath, tokens.ExpiresIn));
        cookies.Append(RefreshCookie, tokens.RefreshToken, Options(secure, httpOnly: true, SessionPath, tokens.RefreshExpiresIn));
        cookies.Append(CsrfCookie, csrf, Options(secure, httpOnly: false, "/", tokens.RefreshExpiresIn));
        http.Response.Headers.CacheControl = "no-store";
        return csrf;
    }

    /// <summary>Clears the session's cookies (sign-out, or a refresh that failed).</summary>
    public static void End(HttpContext http)
    {
        var secure = http.Request.IsHttps;
        var cookies = http.Response.Cookies;
        cookies.Delete(SessionCookie, Options(secure, httpOnly: true, ApiPath, 0));
        cookies.Delete(RefreshCookie, Options(secure, httpOnly: true, SessionPath, 0));
        cookies.Delete(CsrfCookie, Options(secure, httpOnly: false, "/", 0));
        http.Response.Headers.CacheControl = "no-store";
    }

    public static string? RefreshToken(HttpRequest request) =>
        request.Cookies.TryGetValue(RefreshCookie, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>
    /// The access token of a web session, or null when the request carries no session cookie. On an unsafe method the
    /// CSRF header must be the session's token: a page of another site can make the browser send the cookie, never the header.
    /// </summary>
    public static string? AccessToken(HttpRequest request) => CsrfCheckedToken(request, SessionCookie, CsrfCookie, "A web session's");

    /// <summary>
    /// The token in <paramref name="sessionCookie"/>, or null without it; on an unsafe method <see cref="CsrfHeader"/> must
    /// be its CSRF token (the value of <paramref name="csrfCookie"/>). Shared by the patient's and the analytics session.
    /// </summary>
    internal static string? CsrfCheckedToken(HttpRequest request, string sessionCookie, string csrfCookie, string sessionName)
    {
        if (!request.Cookies.TryGetValue(sessionCookie, out var token) || string.IsNullOrWhiteSpace(token)) return null;
        if (!IsSafe(request.Method))
        {
            var presented = request.Headers[CsrfHeader].ToString();
            var expected = CsrfTokenFor(token);
            if (presented.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(presented), Encoding.ASCII.GetBytes(expected)))
            {
                throw new DomainException(ErrorKind.Forbidden, ErrorCodes.CsrfTokenInvalid, "The request's CSRF token is missing or wrong.",
                    $"{sessionName} unsafe requests carry the {CsrfHeader} header with the value of the {csrfCookie} cookie.");
            }
        }

        return token;
    }

    /// <summary>The session's CSRF token: a hash of its access token, so only someone who holds (or was given) it can present it.</summary>
    public static string CsrfTokenFor(string accessToken) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes("ndhm-csrf:" + accessToken)));

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>A session cookie: SameSite Strict, Secure over HTTPS, essential; a max age of 0 leaves it a session cookie.</summary>
    internal static CookieOptions Options(bool secure, bool httpOnly, string path, int maxAgeSeconds) => new()
    {
        HttpOnly = httpOnly,
        Secure = secure,
        SameSite = SameSiteMode.Strict,
        Path = path,
        MaxAge = maxAgeSeconds > 0 ? TimeSpan.FromSeconds(maxAgeSeconds) : null,
        IsEssential = true,
    };
}
