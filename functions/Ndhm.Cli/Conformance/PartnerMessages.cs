using System.Text.Json;
using Ndhm.Cli.Story;

namespace Ndhm.Cli.Conformance;

/// <summary>
/// The ABDM messages the partner's bridge sent and received, as its desk shows them (<c>GET &lt;desk&gt;/messages?path=
/// &amp;direction=sent|received</c> → <c>{"entries":[{"direction","path","body","status"}]}</c>, newest first; the sample
/// partners' desk has it), checked against ABDM's schema (<see cref="AbdmMessageSchemas"/>). Without a desk the kit
/// sees only what the platform shows, and says so.
/// </summary>
public sealed class PartnerMessages(StoryClient http, bool hasDesk, TimeSpan wait, string who)
{
    public bool Available => hasDesk;

    /// <summary>
    /// Waits for the message at <paramref name="path"/> whose body matches and checks it against ABDM's schema: its
    /// body, or null without a desk. Fails the case naming the schema rule it breaks, a platform refusal of what the
    /// partner sent (status), or that no such message came. Schema problems at <paramref name="excusedAt"/> (a JSON
    /// pointer) are not held against it.
    /// </summary>
    public async Task<JsonElement?> CheckAsync(string path, string direction, Func<JsonElement, bool> match, string what, string? excusedAt = null)
    {
        if (!hasDesk) return null;
        var entry = await FindAsync(path, direction, match)
                    ?? throw new StoryException($"the {who}'s desk shows no {path} {direction} {what} within {wait.TotalSeconds:0} s");
        var body = entry.GetProperty("body");
        var speaker = direction == "sent" ? $"the {who}'s" : $"the platform's (a sandbox defect, not the {who}'s)";
        if (AbdmMessageSchemas.Violation(speaker, path, body, excusedAt) is { } violation) throw new StoryException(violation);
        if (direction == "sent" && entry.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number && status.GetInt32() is < 200 or >= 300)
        {
            var answer = entry.TryGetProperty("answer", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : "";
            throw new StoryException($"the platform refused the {who}'s {path} {what}: {status.GetInt32()} {StoryClient.Shorten(answer ?? "")}");
        }

        return body;
    }

    /// <summary>
    /// Why a message the partner sent did not count (it breaks ABDM's schema, or the platform refused it), for a case that
    /// saw nothing arrive; null when there is no desk, no such message, or nothing wrong with it.
    /// </summary>
    public async Task<string?> ReasonAsync(string path, Func<JsonElement, bool> match, string what)
    {
        if (!hasDesk || await FindAsync(path, "sent", match, TimeSpan.Zero) is null) return null;
        try
        {
            await CheckAsync(path, "sent", match, what);
            return null;
        }
        catch (StoryException e)
        {
            return e.Message;
        }
    }

    /// <summary>The newest entry at <paramref name="path"/> in <paramref name="direction"/> whose body matches, or null once the wait is over.</summary>
    public async Task<JsonElement?> FindAsync(string path, string direction, Func<JsonElement, bool> match, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? wait);
        while (true)
        {
            var listed = await http.PartnerAsync(HttpMethod.Get, $"messages?path={Uri.EscapeDataString(path)}&direction={direction}");
            var found = listed.GetProperty("entries").EnumerateArray()
                .Where(e => e.StrOrNull("path") == path && e.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.Object)
                .Cast<JsonElement?>()
                .FirstOrDefault(e => Matches(match, e!.Value.GetProperty("body")));
            if (found is not null || DateTime.UtcNow > deadline) return found?.Clone();
            await Task.Delay(250);
        }
    }

    // A body of another shape than the match expects is simply not the one looked for (its schema check is another's).
    private static bool Matches(Func<JsonElement, bool> match, JsonElement body)
    {
        try
        {
            return match(body);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or StoryException)
        {
            return false;
        }
    }

    /// <summary>A body's <c>resp.requestId</c> (the message it answers), or null.</summary>
    public static string? AnswerTo(JsonElement body) =>
        body.TryGetProperty("resp", out var resp) && resp.ValueKind == JsonValueKind.Object ? resp.StrOrNull("requestId") : null;
}
