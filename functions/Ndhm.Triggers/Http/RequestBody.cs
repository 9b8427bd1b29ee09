using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ndhm.Core.Errors;
using Ndhm.Core.Json;

namespace Ndhm.Triggers.Http;

/// <summary>
/// Reads a JSON request body the same way for every function: JSON content type required (<c>application/json</c> or
/// <c>application/*+json</c>, charset utf-8 if any), size capped even without Content-Length, duplicate property
/// names refused, malformed JSON and missing bodies reported with stable codes, and the result passed through the
/// <see cref="InputPolicy"/> (text and array limits).
/// </summary>
public static class RequestBody
{
    public static async Task<T> ReadJsonAsync<T>(this HttpRequest request, CancellationToken ct) where T : class
    {
        var json = await request.ReadJsonUtf8Async(ct);
        T body;
        try
        {
            body = JsonSerializer.Deserialize<T>(json.Span, NdhmJson.Options)
                ?? throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "A request body is required.");
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }

        InputPolicy.Apply(body);
        return body;
    }

    /// <summary>
    /// The checks of <see cref="ReadJsonAsync{T}"/> short of binding (JSON content type, size cap, a body present,
    /// well-formed JSON, no duplicate property names), returning the body's UTF-8 for a reader that keeps large values
    /// as bytes. The caller binds it (reporting <see cref="JsonException"/> with <see cref="Malformed"/>) and applies
    /// <see cref="InputPolicy"/> itself.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadJsonUtf8Async(this HttpRequest request, CancellationToken ct)
    {
        if (!IsJson(request.ContentType))
        {
            throw new DomainException(ErrorKind.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "The request body must be JSON.", "Send Content-Type: application/json (charset utf-8 if any).");
        }

        var max = request.HttpContext.RequestServices.GetService<IOptions<HttpLimits>>()?.Value.MaxRequestBodyBytes
            ?? new HttpLimits().MaxRequestBodyBytes;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                await DiscardAsync(request);
                throw TooLarge(max);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "A request body is required.");
        }

        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            RefuseDuplicateProperties(json.Span);
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }

        return json;
    }

    /// <summary>The problem for a body that is not valid JSON for the endpoint.</summary>
    public static DomainException Malformed(JsonException e) =>
        new(ErrorKind.Validation, ErrorCodes.MalformedJson, "The request body is not valid JSON for this endpoint.",
            e.Path is null ? "The JSON could not be read." : $"Problem at {e.Path}.");

    /// <summary>
    /// Two members of one object with the same name (in any case: binding is case-insensitive) would let a client
    /// and a proxy or validator in between read different values; the body is refused instead.
    /// </summary>
    private static void RefuseDuplicateProperties(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var scopes = new Stack<HashSet<string>?>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    scopes.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                    break;
                case JsonTokenType.StartArray:
                    scopes.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    scopes.Pop();
                    break;
                case JsonTokenType.PropertyName when scopes.Peek() is { } names:
                    var name = reader.GetString()!;
                    if (!names.Add(name))
                    {
                        throw new DomainException(ErrorKind.Validation, ErrorCodes.DuplicateProperty,
                            "The request body names a property twice.", $"'{Shorten(name)}' appears more than once in one object.");
                    }

                    break;
            }
        }
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "...";

    /// <summary>True when the request says it carries a body (a length above zero, or chunked).</summary>
    public static bool HasBody(this HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>
    /// Reads and discards the rest of a refused body before the 413 is written, as nginx's lingering close does: a
    /// server that closes with the body unread resets the connection, and a client still sending then sees a broken
    /// pipe instead of the problem that says what is wrong. Bounded by the server's body cap (the gate sets it to
    /// <see cref="HttpLimits.MaxDrainedBodyBytes"/>) and by time.
    /// </summary>
    public static async Task DiscardAsync(HttpRequest request)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        deadline.CancelAfter(DiscardTimeout);
        var chunk = new byte[64 * 1024];
        try
        {
            while (await request.Body.ReadAsync(chunk, deadline.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or BadHttpRequestException or IOException)
        {
            // A slow, endless or broken sender: the 413 still goes out, and the connection closes after it.
        }
    }

    private static readonly TimeSpan DiscardTimeout = TimeSpan.FromSeconds(10);

    public static DomainException TooLarge(long max) =>
        new(ErrorKind.PayloadTooLarge, ErrorCodes.PayloadTooLarge, "The request body is too large.",
            $"At most {max} bytes are accepted.");

    /// <summary>The problem for a request the server (Kestrel) refused while its body was read.</summary>
    public static DomainException Refused(BadHttpRequestException e, long max) =>
        e.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? TooLarge(max)
            : new DomainException(ErrorKind.Validation, ErrorCodes.InvalidRequest, "The request could not be read.",
                "The body was incomplete or malformed at the HTTP level.");

    /// <summary>Exactly application/json or application/*+json; a charset, when given, must be UTF-8 (RFC 8259 8.1).</summary>
    public static bool IsJson(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.Type.Equals("application", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var subType = media.SubType.Value ?? "";
        var json = subType.Equals("json", StringComparison.OrdinalIgnoreCase)
            || (subType.Length > "+json".Length && subType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var charset = media.Charset.Value;
        return json && (charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));
    }
}
