using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Ndhm.Triggers.Http;

/// <summary>A file the function app serves itself, compressed once per process (<paramref name="Brotli"/> null: gzip only).</summary>
public sealed record StaticFile(string ContentType, byte[] Plain, byte[] Gzip, byte[]? Brotli, string ETag);

/// <summary>
/// Writes a static file: brotli or gzip when the client takes it (a coding with q=0 is refused), an ETag answered with
/// 304, its caching, no body for HEAD, and the page's Content-Security-Policy with the headers every served file
/// carries (nosniff, no referrer, same-origin resources). A page adds its own framing and permission headers.
/// </summary>
public abstract class StaticFileResult(StaticFile file, string cacheControl, string contentSecurityPolicy) : IActionResult
{
    /// <summary>Headers of this kind of page beyond the common ones.</summary>
    protected virtual void AddHeaders(IHeaderDictionary headers)
    {
    }

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        var request = context.HttpContext.Request;
        var headers = response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = cacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        AddHeaders(headers);
        if (request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(tag => tag.Trim() == file.ETag || tag.Trim() == "*")))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = file.ContentType;
        var accepted = request.Headers.AcceptEncoding.ToString();
        var body = file.Plain;
        if (file.Brotli is { } brotli && Accepts(accepted, "br"))
        {
            headers.ContentEncoding = "br";
            body = brotli;
        }
        else if (Accepts(accepted, "gzip"))
        {
            headers.ContentEncoding = "gzip";
            body = file.Gzip;
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
