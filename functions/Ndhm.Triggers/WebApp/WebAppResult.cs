using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// Writes a web app file: brotli or gzip when the client takes it, an ETag answered with 304, its caching, and a strict
/// Content-Security-Policy (scripts, styles, images and requests from this origin only; no inline script or style).
/// </summary>
public sealed class WebAppResult(WebAppAsset asset, string cacheControl) : IActionResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>The page: always revalidated, so a new deployment shows at once (it names the new asset version).</summary>
    public const string PageCaching = "no-cache";

    /// <summary>Assets: their URL carries the site's content hash, so they never change under it.</summary>
    public const string AssetCaching = "public, max-age=31536000, immutable";

    public Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        var request = context.HttpContext.Request;
        var headers = response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = cacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=()";
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == asset.ETag || tag.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        var accepted = request.Headers.AcceptEncoding.ToString();
        var body = asset.Plain;
        if (Accepts(accepted, "br"))
        {
            headers.ContentEncoding = "br";
            body = asset.Brotli;
        }
        else if (Accepts(accepted, "gzip"))
        {
            headers.ContentEncoding = "gzip";
            body = asset.Gzip;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(body, context.HttpContext.RequestAborted).AsTask();
    }

    private static bool Accepts(string acceptEncoding, string coding) =>
        acceptEncoding.Split(',').Select(p => p.Split(';')).Any(p =>
            p[0].Trim().Equals(coding, StringComparison.OrdinalIgnoreCase) && !p.Skip(1).Any(q => q.Replace(" ", "") is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"));
}
