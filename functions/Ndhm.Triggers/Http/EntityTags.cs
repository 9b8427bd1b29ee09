using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Concurrency;

namespace Ndhm.Triggers.Http;

/// <summary>The optimistic-concurrency headers of versioned resources: If-Match in, ETag out.</summary>
public static class EntityTags
{
    /// <summary>The If-Match header, or null when absent or blank.</summary>
    public static string? IfMatch(HttpRequest req) =>
        req.Headers.IfMatch.Count > 0 && !string.IsNullOrWhiteSpace(req.Headers.IfMatch[0]) ? req.Headers.IfMatch[0] : null;

    /// <summary>Sets the response's ETag (what the next change sends in If-Match) and returns <paramref name="result"/>.</summary>
    public static T WithETag<T>(HttpRequest req, T result, string etag) where T : IActionResult
    {
        req.HttpContext.Response.Headers.ETag = ETags.Quoted(etag);
        return result;
    }
}
