using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ndhm.Cli.Story;

/// <summary>A failed story step: what was expected and what the platform or partner answered.</summary>
public sealed class StoryException(string message) : Exception(message);

/// <summary>
/// Plain HTTP to the platform (<c>--base-url</c>) and to the sample partners' staff endpoints (<c>--partners-url</c>),
/// as a patient's app, a doctor's screen and the partners' desks would call them. Every answer is JSON; a status other
/// than the expected one fails the step with the body.
/// </summary>
public sealed class StoryClient(HttpClient platform, HttpClient? partners) : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    public HttpClient Platform { get; } = platform;

    public HttpClient Partners => partners ?? throw new StoryException("this step needs the sample partners (--partners-url)");

    public static StoryClient Create(Uri baseUrl, Uri? partnersUrl) => new(
        new HttpClient { BaseAddress = Slash(baseUrl), Timeout = TimeSpan.FromSeconds(60) },
        partnersUrl is null ? null : new HttpClient { BaseAddress = Slash(partnersUrl), Timeout = TimeSpan.FromSeconds(60) });

    private static Uri Slash(Uri uri) => new(uri.ToString().TrimEnd('/') + "/");

    public Task<JsonElement> CallAsync(HttpMethod method, string path, string? token = null, object? body = null, params HttpStatusCode[] expected) =>
        SendAsync(Platform, method, path, token, body, expected);

    public Task<JsonElement> PartnerAsync(HttpMethod method, string path, object? body = null, params HttpStatusCode[] expected) =>
        SendAsync(Partners, method, path, null, body, expected);

    /// <summary>The status and JSON body, whatever the status (for steps that expect a refusal).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> RawAsync(HttpClient client, HttpMethod method, string path, string? token, object? body,
        IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, StoryJson.Options), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonElement json;
        try
        {
            json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            json = JsonSerializer.SerializeToElement(new { text });
        }

        return (response.StatusCode, json);
    }

    private static async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body, HttpStatusCode[] expected)
    {
        var (status, json) = await RawAsync(client, method, path, token, body);
        var ok = expected.Length == 0 ? (int)status is >= 200 and < 300 : expected.Contains(status);
        if (!ok) throw new StoryException($"{method} {path}: {(int)status} {ShortBody(json)}");
        return json;
    }

    /// <summary>
    /// Polls <paramref name="read"/> until <paramref name="done"/> holds (every 250 ms) or <paramref name="within"/>
    /// passes; then fails with <paramref name="explain"/>'s reason for what was last seen, or a generic one.
    /// </summary>
    public static async Task<JsonElement> UntilAsync(string what, Func<Task<JsonElement>> read, Func<JsonElement, bool> done, TimeSpan? within = null,
        Func<JsonElement, string>? explain = null)
    {
        var deadline = DateTime.UtcNow + (within ?? DefaultWait);
        while (true)
        {
            var last = await read();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline)
                throw new StoryException(explain?.Invoke(last) ?? $"{what}: not reached within {(within ?? DefaultWait).TotalSeconds:0} s; last seen {Shorten(last.GetRawText())}");
            await Task.Delay(250);
        }
    }

    public static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "...";

    /// <summary>A response body for an error message: shortened, and empty when there was none.</summary>
    public static string ShortBody(JsonElement body) => Shorten(body.ValueKind == JsonValueKind.Undefined ? "" : body.GetRawText());

    public void Dispose()
    {
        Platform.Dispose();
        partners?.Dispose();
    }
}

internal static class StoryJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new StoryException($"no '{name}' in {StoryClient.Shorten(e.GetRawText())}");

    public static string? StrOrNull(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
