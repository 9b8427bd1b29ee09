using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Ndhm.Core.Errors;
using Ndhm.Triggers.Http;

namespace Ndhm.LocalHost.Http;

/// <summary>
/// The request-line limit, enforced by the app so a refusal is problem+json like every other. Kestrel refuses what it
/// cannot parse before any app code runs, with an empty body and no way to give it one; so Kestrel's own limit is set
/// well above <see cref="MaxRequestLineBytes"/> and the platform's limit is applied here, first in the pipeline.
/// </summary>
public static class RequestLineLimit
{
    /// <summary>The platform's limit on a request line (Kestrel's default).</summary>
    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>What Kestrel itself accepts, so requests between the two limits reach <see cref="Use"/>.</summary>
    public const int KestrelRequestLineBytes = 64 * 1024;

    public static void Use(WebApplication app) => app.Use(async (http, next) =>
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "";
        var lineLength = http.Request.Method.Length + 1 + target.Length + 1 + http.Request.Protocol.Length;
        if (lineLength > MaxRequestLineBytes)
        {
            RequestIds.Ensure(http);
            var problem = new ProblemResult(new DomainException(ErrorKind.UriTooLong, ErrorCodes.UriTooLong,
                "The request line is too long.", $"At most {MaxRequestLineBytes} bytes are accepted."));
            await problem.ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));
            return;
        }

        await next(http);
    });
}
