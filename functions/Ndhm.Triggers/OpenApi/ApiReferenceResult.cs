using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.OpenApi;

/// <summary>
/// Writes an API reference file (<see cref="StaticFileResult"/>, gzip only) with a Content-Security-Policy that lets the
/// page load scripts, styles and images only from this origin and send requests only to it.
/// </summary>
public sealed class ApiReferenceResult(ApiReferenceAsset asset, string cacheControl)
    : StaticFileResult(new StaticFile(asset.ContentType, asset.Plain, asset.Gzip, Brotli: null, asset.ETag), cacheControl, ContentSecurityPolicy)
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
}
