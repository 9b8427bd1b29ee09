using Microsoft.AspNetCore.Http;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.WebApp;

/// <summary>
/// Writes a web app file (<see cref="StaticFileResult"/>) with a strict Content-Security-Policy (scripts, styles, images
/// and requests from this origin only; no inline script or style), never framed, camera and microphone only for this
/// origin, no geolocation.
/// </summary>
public sealed class WebAppResult(WebAppAsset asset, string cacheControl)
    : StaticFileResult(new StaticFile(asset.ContentType, asset.Plain, asset.Gzip, asset.Brotli, asset.ETag), cacheControl, ContentSecurityPolicy)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

    /// <summary>The page: always revalidated, so a new deployment shows at once (it names the new asset version).</summary>
    public const string PageCaching = "no-cache";

    /// <summary>Assets: their URL carries the site's content hash, so they never change under it.</summary>
    public const string AssetCaching = "public, max-age=31536000, immutable";

    protected override void AddHeaders(IHeaderDictionary headers)
    {
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(self), geolocation=()";
    }
}
