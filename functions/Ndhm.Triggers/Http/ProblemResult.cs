using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;

namespace Ndhm.Triggers.Http;

/// <summary>
/// An RFC 9457 problem+json response. <c>code</c> is the stable machine-readable error code; <c>requestId</c>
/// lets support find the request in the logs. The one place domain error kinds become HTTP status codes.
/// </summary>
public sealed class ProblemResult(DomainException error) : IActionResult
{
    public const string ContentType = "application/problem+json";

    public DomainException Error { get; } = error;

    public int StatusCode => StatusFor(Error.Kind);

    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => (int)HttpStatusCode.BadRequest,
        ErrorKind.Unauthenticated => (int)HttpStatusCode.Unauthorized,
        ErrorKind.Forbidden => (int)HttpStatusCode.Forbidden,
        ErrorKind.NotFound => (int)HttpStatusCode.NotFound,
        ErrorKind.Conflict => (int)HttpStatusCode.Conflict,
        ErrorKind.PreconditionFailed => (int)HttpStatusCode.PreconditionFailed,
        ErrorKind.Gone => (int)HttpStatusCode.Gone,
        ErrorKind.PayloadTooLarge => (int)HttpStatusCode.RequestEntityTooLarge,
        ErrorKind.UnsupportedMediaType => (int)HttpStatusCode.UnsupportedMediaType,
        ErrorKind.TooManyRequests => (int)HttpStatusCode.TooManyRequests,
        ErrorKind.DependencyUnavailable => (int)HttpStatusCode.ServiceUnavailable,
        ErrorKind.UriTooLong => (int)HttpStatusCode.RequestUriTooLong,
        _ => (int)HttpStatusCode.InternalServerError,
    };

    public static ProblemResult Internal() =>
        new(new DomainException((ErrorKind)(-1), ErrorCodes.InternalError, "An unexpected error occurred."));

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var http = context.HttpContext;
        var response = http.Response;
        WriteStatusAndHeaders(response, Error);
        response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(response.Body, ToBody(http), NdhmJson.Options, http.RequestAborted);
    }

    /// <summary>Status and the headers that go with it (Retry-After, WWW-Authenticate, Connection), for any error body.</summary>
    public static void WriteStatusAndHeaders(HttpResponse response, DomainException error)
    {
        response.StatusCode = StatusFor(error.Kind);
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (response.StatusCode == StatusCodes.Status401Unauthorized)
        {
            // RFC 6750 3.1: a token was presented and refused (bad, expired, its partner deactivated), so the client
            // needs a new one; without any token the bare challenge is the answer.
            response.Headers.WWWAuthenticate = error.Code is ErrorCodes.InvalidToken or ErrorCodes.PartnerInactive
                ? "Bearer error=\"invalid_token\""
                : "Bearer";
        }

        if (response.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The body was refused unread, so the server will not drain it: tell the client this connection ends here,
            // or its pool reuses a socket the server is closing and the next request fails half-sent (RFC 9112 9.6).
            response.Headers.Connection = "close";
        }
    }

    public Dictionary<string, object?> ToBody(HttpContext http)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = "urn:ndhm:problem:" + Error.Code.ToLowerInvariant().Replace('_', '-'),
            ["title"] = Error.Title,
            ["status"] = StatusCode,
            ["code"] = Error.Code,
        };
        if (Error.Detail is not null)
        {
            body["detail"] = Error.Detail;
        }

        body["instance"] = http.Request.Path.Value;
        body["requestId"] = RequestIds.Get(http);
        foreach (var (key, value) in Error.Extensions)
        {
            body.TryAdd(key, value);
        }

        return body;
    }
}
