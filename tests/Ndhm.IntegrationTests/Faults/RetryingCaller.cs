using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Ndhm.IntegrationTests.Faults;

/// <summary>
/// What a well-behaved client does while the platform has an outage: send, and on an answer that says "try again"
/// (5xx, 429) or no answer at all (connection refused or reset, timeout) send the same request again, with a short
/// pause, until a definitive answer (2xx or another 4xx) or the deadline. Every error the caller saw is noted, so
/// the suite can tell a clean completion from a retried one and check that each failure was visible.
/// </summary>
public sealed class RetryingCaller
{
    private readonly List<string> seen = [];

    /// <summary>What the caller saw before its definitive answers, e.g. <c>503 DEPENDENCY_UNAVAILABLE</c>, <c>no answer</c>.</summary>
    public IReadOnlyList<string> Seen => seen;

    /// <summary>What a flow noted about how it got there (e.g. it had to start a step over).</summary>
    public List<string> Notes { get; } = [];

    public void Note(string note) => Notes.Add(note);

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(string what, Func<Task<HttpResponseMessage>> send, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(150));
        while (true)
        {
            string error;
            try
            {
                using var response = await send();
                var text = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                if (status < 500 && status != 429)
                {
                    return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
                }

                error = $"{what}: {status} {Code(text)}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException or IOException)
            {
                error = $"{what}: no answer";
            }

            seen.Add(error);
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} never got a definitive answer; last: {error}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>As <see cref="SendAsync"/>, and the definitive answer must be <paramref name="expected"/>.</summary>
    public async Task<JsonElement> ExpectAsync(string what, HttpStatusCode expected, Func<Task<HttpResponseMessage>> send, TimeSpan? within = null)
    {
        var (status, body) = await SendAsync(what, send, within);
        Assert.True(status == expected, $"{what}: expected {(int)expected}, got {(int)status} {body}");
        return body;
    }

    private static string Code(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var code) ? code.ToString() : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
