using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ndhm.Triggers.OpenApi;

/// <summary>
/// Writes an API reference file with the headers a static asset needs: its content type, gzip when the client
/// takes it, an ETag answered with 304, caching, and a Content-Security-Policy that lets the page load scripts,
/// styles and images only from this origin and send requests only to it.
/// </summary>
public sealed class ApiReferenceResult(ApiReferenceAsset asset, string cacheControl) : IActionResult
{
    /// <summary>
    /// Scripts only from this origin (no inline script, no eval). Scalar injects its stylesheet at run time, so styles
    /// allow inline ones; fonts, images and requests stay on this origin (the "try it" client calls this API only).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>The page itself: always revalidated, so a new deployment shows at once.</summary>
    public const string PageCaching = "no-cache";

    /// <summary>Scripts and icon: their URLs carry a content hash, but a day keeps a stale one from living long.</summary>
    public const string AssetCaching = "public, max-age=86400";

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
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == asset.ETag || tag.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        var gzip = request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));
        var body = gzip ? asset.Gzip : asset.Plain;
        if (gzip)
        {
            headers.ContentEncoding = "gzip";
        }

        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, context.HttpContext.RequestAborted).AsTask();
    }
}
