using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;
using Ndhm.Triggers.Http;

namespace Ndhm.LocalHost.Http;

/// <summary>
/// Requests no function answers still get a stable code (found by the generated bad-input suite): a path with a dot
/// segment (<c>..</c>, <c>.</c>, also percent-encoded) is refused with 400 before Kestrel's normalised path could
/// reach another route (<c>/partners/../secret</c> would become <c>/secret</c>), and the router's own empty 404 and
/// 405 become problem+json (ABDM's error shape on ABDM paths). In Azure the Functions host answers unrouted paths
/// itself; these refusals are the local host's.
/// </summary>
public static class UnroutedRequests
{
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";

    /// <summary>No function's route matches the path (a function's own 404 carries its own code).</summary>
    public const string RouteNotFound = "ROUTE_NOT_FOUND";

    public static void Use(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
            if (HasDotSegment(target))
            {
                await WriteAsync(http, new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest,
                    "The path has a dot segment.", "Paths with '.' or '..' segments (also percent-encoded) are not accepted."));
                return;
            }

            await next(http);
            if (http.Response.HasStarted || http.Response.ContentLength is > 0 || http.Response.ContentType is not null) return;
            if (http.Response.StatusCode == StatusCodes.Status404NotFound)
            {
                await WriteAsync(http, new DomainException(ErrorKind.NotFound, RouteNotFound, "No operation at this path."));
            }
            else if (http.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                var allowed = http.Response.Headers.Allow.ToString();
                await WriteAsync(http, new DomainException(ErrorKind.NotFound, MethodNotAllowed, "The path does not take this method.",
                    allowed.Length > 0 ? "Allowed: " + allowed + "." : null), StatusCodes.Status405MethodNotAllowed);
            }
        });
    }

    /// <summary>True when the path part of a request target has a <c>.</c> or <c>..</c> segment, plain or percent-encoded.</summary>
    public static bool HasDotSegment(string rawTarget)
    {
        var path = rawTarget.Split('?', 2)[0];
        foreach (var segment in path.Split('/'))
        {
            var decoded = segment.Replace("%2e", ".", StringComparison.OrdinalIgnoreCase);
            if (decoded is "." or "..") return true;
        }

        return false;
    }

    private static async Task WriteAsync(HttpContext http, DomainException error, int? status = null)
    {
        RequestIds.Ensure(http);
        var context = new ActionContext(http, new RouteData(), new ActionDescriptor());
        if (status is null)
        {
            await AbdmErrorResult.For(http, error).ExecuteResultAsync(context);
            return;
        }

        // A status no error kind maps to (405): the same body, with that status.
        ProblemResult.WriteStatusAndHeaders(http.Response, error);
        http.Response.StatusCode = status.Value;
        if (AbdmErrorResult.IsAbdmPath(http.Request.Path))
        {
            http.Response.ContentType = "application/json";
            await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body,
                new Ndhm.Core.Abdm.AbdmErrorResponse(Ndhm.Core.Abdm.AbdmErrors.ToAbdmError(error)), NdhmJson.Options, http.RequestAborted);
            return;
        }

        var body = new ProblemResult(error).ToBody(http);
        body["status"] = status.Value;
        http.Response.ContentType = ProblemResult.ContentType;
        await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, body, NdhmJson.Options, http.RequestAborted);
    }
}
