namespace Ndhm.Triggers.Http;

/// <summary>
/// Absolute URLs the platform hands out (Location, statusUrl), built from <c>Platform__PublicBaseUrl</c> and never
/// from the request: the Host header is the caller's to choose, so reflecting it would let anyone point a link we
/// serve at their own server.
/// </summary>
public sealed class PublicUrls
{
    public PublicUrls(string? baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException(
                $"Setting Platform__PublicBaseUrl must be an absolute http(s) URL (for the sandbox http://localhost:<port>); got '{baseUrl}'.");
        }

        BaseUrl = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>Scheme, host, port and any path prefix, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <param name="path">An absolute path on this platform (<c>/api/...</c>), already escaped.</param>
    public string For(string path) => BaseUrl + "/" + path.TrimStart('/');
}
