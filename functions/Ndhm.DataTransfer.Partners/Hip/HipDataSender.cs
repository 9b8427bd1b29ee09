using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Ndhm.Consent;
using Ndhm.Core.Abdm;
using Ndhm.Core.Json;
using Ndhm.Fhir;
using Ndhm.Fidelius;
using Task = System.Threading.Tasks.Task;

namespace Ndhm.DataTransfer.Partners.Hip;

/// <summary>A <c>hip/request</c> as the HIP reads it (ABDM <c>HIPHIRequest</c>, plus the platform's push token).</summary>
public sealed record HipTransferRequest(string TransactionId, string ConsentId, DateRange DateRange, string DataPushUrl, AbdmKeyMaterial KeyMaterial,
    string? PushToken)
{
    /// <summary>Reads the body the platform POSTed to the HIP bridge's <c>/v0.5/health-information/hip/request</c>.</summary>
    public static HipTransferRequest Parse(JsonElement body)
    {
        var hi = body.GetProperty("hiRequest");
        var range = hi.GetProperty("dateRange");
        return new HipTransferRequest(
            body.GetProperty("transactionId").GetString()!,
            hi.GetProperty("consent").GetProperty("id").GetString()!,
            new DateRange(DateTimeOffset.Parse(range.GetProperty("from").GetString()!, CultureInfo.InvariantCulture),
                DateTimeOffset.Parse(range.GetProperty("to").GetString()!, CultureInfo.InvariantCulture)),
            hi.GetProperty("dataPushUrl").GetString()!,
            hi.GetProperty("keyMaterial").Deserialize<AbdmKeyMaterial>(NdhmJson.Options)!,
            body.TryGetProperty(PushTokens.Field, out var token) ? token.GetString() : null);
    }
}

/// <summary>One care context's record, built with <c>Ndhm.Fhir</c>'s <c>DocumentBundleBuilder</c>.</summary>
public sealed record HipHealthRecord(string CareContextReference, Bundle Bundle);

/// <summary>
/// One care context's record as FHIR JSON already serialized (UTF-8), e.g. a bundle a HIP keeps as JSON: sent as is,
/// without a round trip through the FHIR model.
/// </summary>
public sealed record HipBundleJson(string CareContextReference, byte[] BundleUtf8);

/// <summary>What became of each care context: DELIVERED (its page was accepted) or ERRORED (and why).</summary>
public sealed record HipCareContextResult(string CareContextReference, bool Delivered, string? Description);

public sealed record HipSendResult(string TransactionId, IReadOnlyList<HipCareContextResult> CareContexts, int Pages)
{
    public bool AllDelivered => CareContexts.Count > 0 && CareContexts.All(c => c.Delivered);
}

public sealed class HipDataSenderOptions
{
    /// <summary>Entries per pushed page (ABDM pages a transfer; the HIU answers each page).</summary>
    public int EntriesPerPage { get; init; } = 10;

    /// <summary>How long the fresh key material of a transfer is valid.</summary>
    public TimeSpan KeyValidity { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a page the HIU did not take (no answer, 429, 5xx: it or what it depends on is restarting) is pushed
    /// again, with back-off from <see cref="PushRetryFirstPause"/> to 5 s. The HIU takes each page once (by its <c>PushPageId</c>:
    /// transaction, page number and a digest of the entries), so a repeat is safe. A 4xx refusal is final at once.
    /// </summary>
    public TimeSpan PushRetryWindow { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PushRetryFirstPause { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// An entry whose encrypted content (the base64 an inline <c>content</c> would carry) is longer than this many bytes
    /// is sent as a link (ABDM <c>EntryLink</c>) when the sender has an <see cref="IEncryptedEntryPublisher"/>: ABDM's
    /// rule is to link content over 5 MB. Without a publisher every entry is inline.
    /// </summary>
    public long LinkAboveBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>
    /// The longest a published entry stays fetchable: until the transfer's end (the push token's <c>exp</c>), never
    /// longer than this after the send.
    /// </summary>
    public TimeSpan LinkValidity { get; init; } = TimeSpan.FromHours(2);
}

/// <summary>
/// The HIP side of a transfer: serialise each record's bundle, encrypt it with fresh Fidelius key material for this
/// transfer only (never reused: forward secrecy), checksum the plaintext (SHA-256), page the entries, POST each page
/// to the HIU's <c>dataPushUrl</c> (ABDM <c>DataNotification</c>, with the push token as bearer), then build the
/// <c>health-information/notify</c> the HIP sends the platform (DELIVERED / ERRORED per care context). With a
/// <paramref name="publisher"/>, an entry above <see cref="HipDataSenderOptions.LinkAboveBytes"/> is published there
/// encrypted (the same ciphertext and checksum) and pushed as a link for the HIU to fetch.
/// </summary>
public sealed class HipDataSender(HttpClient http, TimeProvider time, HipDataSenderOptions? options = null, IEncryptedEntryPublisher? publisher = null)
{
    private readonly HipDataSenderOptions _options = options ?? new HipDataSenderOptions();

    public Task<HipSendResult> SendAsync(HipTransferRequest request, IReadOnlyList<HipHealthRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        // Every record is serialized before the first page goes out, so a record that cannot be serialized fails the
        // send before anything was pushed.
        return SendAsync(request, records.Select(r => new HipBundleJson(r.CareContextReference, Encoding.UTF8.GetBytes(FhirJson.Serialize(r.Bundle)))).ToList(), ct);
    }

    /// <summary>As above for bundles already serialized: each entry's checksum is SHA-256 of exactly these bytes.</summary>
    public async Task<HipSendResult> SendAsync(HipTransferRequest request, IReadOnlyList<HipBundleJson> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(records);
        var hiu = request.KeyMaterial.Validate(time, TimeSpan.FromMinutes(1));
        var mine = FideliusKeyMaterial.Generate(time, _options.KeyValidity);
        var keyMaterial = mine.ToAbdm();
        // One key agreement for the transfer (the ciphertext is the same as one per entry), and one body buffer reused
        // page after page: each entry's base64 is written straight into the UTF-8 body, never made a string.
        using var session = FideliusSession.ForSender(mine.Nonce, hiu.Nonce, mine.PrivateKey, hiu.PublicKey);
        var results = new List<HipCareContextResult>();
        var entries = new List<DataPushPlainEntry>();
        foreach (var r in records)
        {
            var entry = new DataPushPlainEntry(r.BundleUtf8, "application/fhir+json", Checksums.Of(r.BundleUtf8), r.CareContextReference);
            if (!SendsAsLink(r.BundleUtf8.Length))
            {
                entries.Add(entry);
                continue;
            }

            var (link, why) = await PublishAsync(request, session, entry, ct);
            if (link is null) results.Add(new HipCareContextResult(r.CareContextReference, false, why));
            else entries.Add(entry with { Link = link });
        }

        var pages = entries.Chunk(Math.Max(1, _options.EntriesPerPage)).ToList();
        var body = new ArrayBufferWriter<byte>();
        for (var i = 0; i < pages.Count; i++)
        {
            body.ResetWrittenCount();
            DataPushBody.Write(body, i + 1, pages.Count, request.TransactionId, pages[i], keyMaterial, session);
            var (ok, why) = await PushAsync(request, body.WrittenMemory, ct);
            results.AddRange(pages[i].Select(e => new HipCareContextResult(e.CareContextReference, ok, ok ? null : why)));
        }

        return new HipSendResult(request.TransactionId, results, pages.Count);
    }

    /// <summary>Whether a bundle of <paramref name="plaintextBytes"/> goes as a link: its encrypted content is above <see cref="HipDataSenderOptions.LinkAboveBytes"/> and there is a publisher.</summary>
    public bool SendsAsLink(int plaintextBytes) => publisher is not null && FideliusSession.GetBase64Length(plaintextBytes) > _options.LinkAboveBytes;

    /// <summary>
    /// Until when a link of this transfer stays valid: the push token's <c>exp</c> (the transfer's end, as the platform
    /// signed it), capped at <see cref="HipDataSenderOptions.LinkValidity"/> from now; without a readable token, that cap.
    /// </summary>
    public DateTimeOffset LinkExpiry(HipTransferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cap = time.GetUtcNow() + _options.LinkValidity;
        return PushTokenExpiry(request.PushToken) is { } end && end < cap ? end : cap;
    }

    private async Task<(string? Link, string? Why)> PublishAsync(HipTransferRequest request, FideliusSession session, DataPushPlainEntry entry,
        CancellationToken ct)
    {
        var content = new ArrayBufferWriter<byte>(FideliusSession.GetBase64Length(entry.Bundle.Length));
        session.EncryptToBase64Utf8(entry.Bundle.Span, content);
        try
        {
            var url = await publisher!.PublishAsync(new EncryptedEntry(request.TransactionId, entry.CareContextReference, content.WrittenMemory,
                LinkExpiry(request)), ct);
            return (url.AbsoluteUri, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return (null, "The encrypted entry could not be published for a link: " + e.Message);
        }
    }

    // The HIP reads the token's exp without verifying it: it only bounds how long the HIP keeps its own link alive.
    private static DateTimeOffset? PushTokenExpiry(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 }) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            using var claims = JsonDocument.Parse(Convert.FromBase64String(payload));
            return claims.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The body of <c>POST /api/v0.5/health-information/notify</c> reporting <paramref name="result"/> (without requestId/timestamp).</summary>
    public object Notification(HipTransferRequest request, string hipId, HipSendResult result) => new
    {
        notification = new
        {
            consentId = request.ConsentId,
            transactionId = request.TransactionId,
            doneAt = AbdmTimestamp.Of(time.GetUtcNow()),
            notifier = new { type = "HIP", id = hipId },
            statusNotification = new
            {
                sessionStatus = result.AllDelivered ? "TRANSFERRED" : "FAILED",
                hipId,
                statusResponses = result.CareContexts.Select(c => new
                {
                    careContextReference = c.CareContextReference,
                    hiStatus = c.Delivered ? "DELIVERED" : "ERRORED",
                    description = c.Description ?? "Delivered",
                }).ToList(),
            },
        },
    };

    private async Task<(bool Ok, string? Why)> PushAsync(HipTransferRequest request, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        var giveUpAt = time.GetUtcNow() + _options.PushRetryWindow;
        var pause = _options.PushRetryFirstPause;
        while (true)
        {
            var (ok, transient, why) = await PushOnceAsync(request, body, ct);
            if (ok || !transient || time.GetUtcNow() >= giveUpAt) return (ok, why);
            await Task.Delay(pause, time, ct);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 5000));
        }
    }

    private async Task<(bool Ok, bool Transient, string? Why)> PushOnceAsync(HipTransferRequest request, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.DataPushUrl)
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        if (request.PushToken is { } token) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(message, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (true, false, null) : (false, status is 429 or >= 500, $"The HIU answered {status}.");
        }
        catch (HttpRequestException e)
        {
            return (false, true, "The HIU could not be reached: " + e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, true, "The HIU did not answer in time.");
        }
    }
}
