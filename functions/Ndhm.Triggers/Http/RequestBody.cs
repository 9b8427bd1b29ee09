using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;

namespace Ndhm.Triggers.Http;

/// <summary>
/// Reads a JSON request body the same way for every function: JSON content type required, size capped even
/// without Content-Length, malformed JSON and missing bodies reported with stable codes.
/// </summary>
public static class RequestBody
{
    public static async Task<T> ReadJsonAsync<T>(this HttpRequest request, CancellationToken ct) where T : class
    {
        if (!IsJson(request.ContentType))
        {
            throw new DomainException(ErrorKind.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "The request body must be JSON.", "Send Content-Type: application/json.");
        }

        var max = request.HttpContext.RequestServices.GetService<IOptions<HttpLimits>>()?.Value.MaxRequestBodyBytes
            ?? new HttpLimits().MaxRequestBodyBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw TooLarge(max);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "A request body is required.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), NdhmJson.Options)
                ?? throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "A request body is required.");
        }
        catch (JsonException e)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.MalformedJson, "The request body is not valid JSON for this endpoint.",
                e.Path is null ? "The JSON could not be read." : $"Problem at {e.Path}.");
        }
    }

    /// <summary>True when the request says it carries a body (a length above zero, or chunked).</summary>
    public static bool HasBody(this HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    public static DomainException TooLarge(long max) =>
        new(ErrorKind.PayloadTooLarge, ErrorCodes.PayloadTooLarge, "The request body is too large.",
            $"At most {max} bytes are accepted.");

    /// <summary>The problem for a request the server (Kestrel) refused while its body was read.</summary>
    public static DomainException Refused(BadHttpRequestException e, long max) =>
        e.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? TooLarge(max)
            : new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "The request could not be read.",
                "The body was incomplete or malformed at the HTTP level.");

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase)
                && contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
}
