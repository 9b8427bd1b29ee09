using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

/// <summary>The answer of one call to the platform, kept whole for the outbox and for errors.</summary>
public sealed record PlatformAnswer(HttpStatusCode Status, string Body)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    public JsonElement Json => JsonDocument.Parse(Body.Length == 0 ? "{}" : Body).RootElement.Clone();

    public PlatformAnswer EnsureOk(string what) =>
        Ok ? this : throw new InvalidOperationException($"{what}: {(int)Status} {Body}");
}

/// <summary>
/// Plain HTTP to the platform, nothing else: the sandbox operator's token endpoint (to register the sample
/// partners as an admin registers any partner), the registry and partner APIs, sessions, and ABDM messages.
/// </summary>
public sealed class PlatformClient(HttpClient http, SamplePartnerSettings settings)
{
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Now() => DateTime.UtcNow.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public Uri Platform => settings.Platform;

    public async Task<PlatformAnswer> SendAsync(HttpMethod method, string path, string? token, object? body,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(settings.Platform, path.TrimStart('/')));
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, SampleJson.Options);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request, ct);
        return new PlatformAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>A sandbox operator's PLATFORM_ADMIN token (loopback only, sandbox only): what registers partners.</summary>
    public async Task<string> AdminTokenAsync(CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, "api/sandbox/tokens", null, new { subject = "sample-partners-operator", roles = new[] { "PLATFORM_ADMIN" } }, ct: ct))
        .EnsureOk("sandbox admin token").Json.GetProperty("accessToken").GetString()!;

    /// <summary>
    /// An ABDM v0.5 message as a v0.5 client sends it: <c>requestId</c> and <c>timestamp</c> first in the body
    /// (<see cref="Envelope"/>), <c>X-CM-ID</c>, and <c>X-HIP-ID</c> / <c>X-HIU-ID</c> naming the facility the partner acts as.
    /// <para>
    /// A message the platform did not take (no answer: the host restarting; or 429, 500, 502, 503, 504) is sent again,
    /// the same message under the same requestId, with back-off, for up to <see cref="AbdmRetryWindow"/>: the platform
    /// runs each partner + requestId once, so a repeat is safe, and a message (an acknowledgement, a health-information
    /// notify) is not lost to an outage. What is still unanswered after the window is the caller's to see.
    /// </para>
    /// </summary>
    public async Task<PlatformAnswer> AbdmAsync(string path, string token, string message, IReadOnlyDictionary<string, string> partyHeaders, CancellationToken ct)
    {
        var headers = new Dictionary<string, string>(partyHeaders) { ["X-CM-ID"] = settings.CmId };
        var giveUpAt = DateTime.UtcNow + AbdmRetryWindow;
        var pause = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                var answer = await SendAsync(HttpMethod.Post, "api" + path, token, message, headers, ct);
                if (!IsTransient(answer.Status) || DateTime.UtcNow >= giveUpAt) return answer;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < giveUpAt)
            {
                // No answer (connection refused or reset): the host is down or restarting.
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested && DateTime.UtcNow < giveUpAt)
            {
                // The client's timeout, not the caller's cancellation.
            }

            await Task.Delay(pause, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 5000));
        }
    }

    /// <summary>How long an ABDM message is retried while the platform does not take it (a host restart takes ~10-60 s).</summary>
    public static readonly TimeSpan AbdmRetryWindow = TimeSpan.FromMinutes(2);

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The body with <c>requestId</c> and <c>timestamp</c> in front.</summary>
    public static string Envelope(string requestId, JsonObject body)
    {
        var message = new JsonObject { ["requestId"] = requestId, ["timestamp"] = Now() };
        foreach (var (name, value) in body) message[name] = value?.DeepClone();
        return message.ToJsonString(SampleJson.Options);
    }
}
