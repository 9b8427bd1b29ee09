using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.RateLimits;
using Ndhm.Core.Security;
using Ndhm.Triggers.Hosting;

namespace Ndhm.Triggers.Http;

/// <summary>
/// Applies <see cref="OperationRateLimits"/> for the HTTP gate: builds each rule's key from the request and asks
/// the shared <see cref="IRateLimiter"/>; a refusal becomes 429 RATE_LIMITED with Retry-After.
/// </summary>
public sealed class RateLimitGate(IRateLimiter limiter, RateLimitPolicies policies, RateLimitClientIp clientIp)
{
    /// <summary>Bodies are sniffed for a key field only up to this size; a bigger body is refused by the function anyway.</summary>
    private const int MaxSniffedBodyBytes = 64 * 1024;

    public async Task EnforceAsync(HttpContext http, FunctionDescriptor function, CallerIdentity? caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(function);
        foreach (var rule in OperationRateLimits.For(function.Name))
        {
            var key = await KeyAsync(http, function, caller, rule, ct);
            if (key is null)
                continue;
            var policy = policies[rule.Policy];
            var decision = await limiter.TryAcquireAsync(policy, key, ct);
            if (!decision.Allowed)
                throw RateLimitExceeded.For(policy, decision);
        }
    }

    /// <returns>The counter key, or null when the request has no value to count by (the function rejects such requests).</returns>
    public async Task<string?> KeyAsync(HttpContext http, FunctionDescriptor function, CallerIdentity? caller, RateLimitRule rule,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(rule);
        return rule.Key switch
        {
            RateLimitKeyKind.Caller => caller is null ? "ip:" + clientIp.Of(http) : "caller:" + (caller.ClientId ?? caller.Subject),
            RateLimitKeyKind.ClientIp => "ip:" + clientIp.Of(http),
            RateLimitKeyKind.RouteValue => RouteValue(http, function, rule.Name!) is { } value ? "target:" + NormaliseIdentifier(value) : null,
            RateLimitKeyKind.BodyField => await BodyFieldAsync(http.Request, rule.Name!, ct) is { } field ? "target:" + field : null,
            _ => throw new NotSupportedException(rule.Key.ToString()),
        };
    }

    /// <summary>
    /// One spelling per identifier: <c>91-1234-5678-9012</c> and <c>91123456789012</c> are the same ABHA number,
    /// <c>Asha@SBX</c> and <c>asha@sbx</c> the same address, so reformatting does not buy fresh attempts.
    /// </summary>
    public static string NormaliseIdentifier(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        // Route values arrive decoded once; decoding again is what the gate's path policy forbids.
        var value = raw.Trim().ToLowerInvariant();
        var withoutSeparators = value.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return withoutSeparators.Length > 0 && withoutSeparators.All(char.IsAsciiDigit) ? withoutSeparators : value;
    }

    /// <summary>
    /// The route value as the host's routing bound it; where the host did not put route values on the request
    /// (the Functions worker's proxied request), the trigger's route template matched against the path's tail.
    /// </summary>
    public static string? RouteValue(HttpContext http, FunctionDescriptor function, string name)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(function);
        if (http.GetRouteValue(name)?.ToString() is { Length: > 0 } bound)
            return bound;
        if (function.Trigger is not HttpTriggerAttribute { Route: { Length: > 0 } route })
            return null;
        var template = TemplateParser.Parse(route);
        var segments = (http.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < template.Segments.Count)
            return null;
        var tail = "/" + string.Join('/', segments[^template.Segments.Count..]);
        var values = new RouteValueDictionary();
        return new TemplateMatcher(template, new RouteValueDictionary()).TryMatch(tail, values)
            ? values[name]?.ToString()
            : null;
    }

    private static async Task<string?> BodyFieldAsync(HttpRequest request, string name, CancellationToken ct)
    {
        if (request.ContentLength is > MaxSniffedBodyBytes || !(request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false))
            return null;
        request.EnableBuffering(MaxSniffedBodyBytes);
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[8 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxSniffedBodyBytes)
                    return null;
                buffer.Write(chunk, 0, read);
            }

            using var json = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.NameEquals(name) && property.Value.ValueKind == JsonValueKind.String)
                    return property.Value.GetString() is { Length: > 0 } value ? value.Trim() : null;
            }

            return null;
        }
        catch (JsonException)
        {
            return null; // the function answers malformed JSON itself
        }
        catch (InvalidOperationException)
        {
            return null; // an escaped lone surrogate is not text: the function's input policy refuses it (INVALID_TEXT)
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}

/// <summary>
/// The client's IP address for anonymous limits. Behind Azure's front end the TCP peer is the platform, so the
/// address is the last entry of <c>RateLimits__ClientIpHeader</c> (the one the front end appended; entries before it
/// are the client's own claims). Without the setting, the connection's remote address (the sandbox).
/// </summary>
public sealed class RateLimitClientIp(string? header)
{
    public string? Header { get; } = string.IsNullOrWhiteSpace(header) ? null : header.Trim();

    public string Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Header is not null && http.Request.Headers[Header].ToString() is { Length: > 0 } forwarded
            && Parse(forwarded.Split(',')[^1].Trim()) is { } fromHeader)
            return fromHeader;
        return http.Connection.RemoteIpAddress is { } remote
            ? (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString()
            : "unknown";
    }

    // App Service appends "address:port"; IPv6 arrives as "[::1]:port" or bare.
    private static string? Parse(string entry) =>
        IPAddress.TryParse(entry, out var address) ? address.ToString()
        : IPEndPoint.TryParse(entry, out var endpoint) ? endpoint.Address.ToString()
        : null;
}
