using System.Net.Http.Headers;
using System.Text;

namespace Ndhm.IntegrationTests.GrpcHost;

/// <summary>
/// One request of the shared platform suite and what every host must answer: the status, and for a refusal the
/// problem+json code. Roles name the sandbox token to send (none: anonymous; <see cref="BadToken"/>: a token no
/// host issued).
/// </summary>
public sealed record PlatformCase(string Name, HttpMethod Method, string Path, int Status, string? Code = null)
{
    public const string BadToken = "not-a-token";

    public string[] Roles { get; init; } = [];

    public string? RawToken { get; init; }

    /// <summary>The body, built per request (a stream is read once).</summary>
    public Func<HttpContent>? Body { get; init; }

    public string? RequestId { get; init; }

    public static Func<HttpContent> Json(string json) => () => new StringContent(json, Encoding.UTF8, "application/json");

    public static Func<HttpContent> Raw(string text, string mediaType) => () =>
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    };

    public override string ToString() => Name;
}
