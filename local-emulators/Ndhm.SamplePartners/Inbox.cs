using System.Text.Json;

namespace Ndhm.SamplePartners;

/// <summary>One message: received from the platform at a bridge, or sent by a partner to the platform (with the answer).</summary>
public sealed record InboxEntry(long Seq, string Direction, string Partner, string Path, DateTimeOffset At, string? RequestId,
    IReadOnlyDictionary<string, string>? Headers, JsonElement? Body, int? Status, string? Answer);

/// <summary>A text message the HIP sent the patient (its own OTP for linking): the sandbox sends no SMS.</summary>
public sealed record OtpMessage(string Partner, string Mobile, string LinkRefNumber, string Otp, string Text, DateTimeOffset SentAt);

/// <summary>
/// What the sample partners received and sent, newest first, kept in memory (the last <see cref="Capacity"/>) for
/// tests, the README walkthrough and anyone curious: <c>GET /inbox</c>, <c>GET /{partner}/sms-outbox</c>.
/// </summary>
public sealed class Inbox
{
    public const int Capacity = 5000;
    private static readonly string[] KeptHeaders = ["REQUEST-ID", "TIMESTAMP", "X-CM-ID", "X-HIP-ID", "X-HIU-ID", "Content-Type"];
    private readonly LinkedList<InboxEntry> entries = new();
    private readonly List<OtpMessage> sms = [];
    private long seq;

    public event Action<InboxEntry>? Recorded;

    public InboxEntry RecordReceived(string partner, string path, IHeaderDictionary headers, string body)
    {
        var kept = KeptHeaders.Where(h => headers.ContainsKey(h)).ToDictionary(h => h, h => headers[h].ToString(), StringComparer.OrdinalIgnoreCase);
        kept["Authorization"] = headers.Authorization.Count > 0 ? "Bearer (present)" : "(absent)";
        return Add(new InboxEntry(0, "received", partner, path, DateTimeOffset.UtcNow, RequestIdOf(body), kept, Parse(body), null, null));
    }

    public InboxEntry RecordSent(string partner, string path, string requestId, string body, PlatformAnswer answer) =>
        Add(new InboxEntry(0, "sent", partner, path, DateTimeOffset.UtcNow, requestId, null, Parse(body), (int)answer.Status,
            answer.Body.Length == 0 ? null : answer.Body));

    public void RecordSms(OtpMessage message)
    {
        lock (sms) sms.Insert(0, message);
    }

    public IReadOnlyList<OtpMessage> Sms(string partner, string? mobile)
    {
        lock (sms) return sms.Where(m => m.Partner == partner && (mobile is null || m.Mobile == mobile)).ToList();
    }

    public IReadOnlyList<InboxEntry> List(string? partner, string? path, string? direction, long after, int max)
    {
        lock (entries)
        {
            return entries.Where(e => (partner is null || e.Partner == partner) && (direction is null || e.Direction == direction)
                    && (path is null || e.Path.EndsWith(path, StringComparison.Ordinal)) && e.Seq > after)
                .Take(Math.Clamp(max, 1, Capacity)).ToList();
        }
    }

    private InboxEntry Add(InboxEntry entry)
    {
        lock (entries)
        {
            entry = entry with { Seq = ++seq };
            entries.AddFirst(entry);
            while (entries.Count > Capacity) entries.RemoveLast();
        }

        Recorded?.Invoke(entry);
        return entry;
    }

    private static JsonElement? Parse(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(body);
        }
    }

    private static string? RequestIdOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("requestId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
