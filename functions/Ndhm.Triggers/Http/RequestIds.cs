using Microsoft.AspNetCore.Http;

namespace Ndhm.Triggers.Http;

/// <summary>
/// ABDM correlates every request and callback by a <c>REQUEST-ID</c> header (a UUID). A caller's id is kept
/// and echoed; when absent one is generated, so every response and log line can be traced.
/// </summary>
public static class RequestIds
{
    public const string Header = "REQUEST-ID";
    private const string ItemKey = "ndhm.requestId";

    public static string Ensure(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var existing) && existing is string known)
        {
            return known;
        }

        var supplied = http.Request.Headers[Header].ToString();
        var id = IsAcceptable(supplied) ? supplied : Guid.NewGuid().ToString();
        http.Items[ItemKey] = id;
        http.Response.Headers[Header] = id;
        return id;
    }

    public static string Get(HttpContext http) => Ensure(http);

    // Echoing arbitrary text into headers and logs invites injection; a REQUEST-ID is a UUID in ABDM anyway.
    private static bool IsAcceptable(string value) => Guid.TryParse(value, out _);
}
