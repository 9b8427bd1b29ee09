using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

/// <summary>What a HIU's staff asks for: to hear of a patient's new records (<c>POST /{hiu}/subscription-requests</c>).</summary>
public sealed record SubscriptionAsk(string? Patient, IReadOnlyList<string>? Hips, IReadOnlyList<string>? Categories, string? From, string? To);

/// <summary>One subscription request as the HIU tracks it: its requestId, the platform's id (on-init), the decision and the events heard.</summary>
public sealed class HiuSubscriptionRequest(string requestId, string patient, DateTimeOffset createdAt)
{
    public string RequestId { get; } = requestId;
    public string Patient { get; } = patient;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string? SubscriptionRequestId { get; set; }
    public string? SubscriptionId { get; set; }

    /// <summary>SENT, REQUESTED (on-init), then GRANTED / DENIED from hiu/notify; REFUSED or FAILED with <see cref="Error"/>.</summary>
    public string Status { get; set; } = "SENT";
    public JsonNode? Error { get; set; }
    /// <summary>Events heard, by event id (a re-sent event is kept once).</summary>
    public ConcurrentDictionary<string, JsonNode> Events { get; } = new();
}

/// <summary>
/// Subscriptions at a sample HIU, as a HIU's software keeps them: <c>subscription-requests/cm/init</c> for the staff's
/// ask (the HIU must already hold a STREAM or QUERY consent for the patient), the platform's id from <c>cm/on-init</c>,
/// the patient's decision from <c>subscription-requests/hiu/notify</c> and each new-record event from
/// <c>subscriptions/hiu/notify</c>, both acknowledged with their <c>on-notify</c> as ABDM asks.
/// </summary>
public sealed class HiuSubscriptions
{
    private readonly ConcurrentDictionary<string, HiuSubscriptionRequest> requests = new();      // our requestId -> request
    private readonly ConcurrentDictionary<string, HiuSubscriptionRequest> byPlatformId = new();  // subscriptionRequestId and subscriptionId -> request

    public HiuSubscriptions(SamplePartner partner)
    {
        Partner = partner;
        Handlers = new Dictionary<string, Func<JsonElement, CancellationToken, Task>>(StringComparer.Ordinal)
        {
            ["/v0.5/subscription-requests/cm/on-init"] = OnInitAsync,
            ["/v0.5/subscription-requests/hiu/notify"] = DecisionAsync,
            ["/v0.5/subscriptions/hiu/notify"] = EventAsync,
        };
    }

    public SamplePartner Partner { get; }

    public IReadOnlyDictionary<string, Func<JsonElement, CancellationToken, Task>> Handlers { get; }

    public IEnumerable<HiuSubscriptionRequest> Requests => requests.Values.OrderByDescending(r => r.CreatedAt);

    public HiuSubscriptionRequest? Find(string id) => requests.GetValueOrDefault(id) ?? byPlatformId.GetValueOrDefault(id);

    /// <summary>Sends <c>/v0.5/subscription-requests/cm/init</c>; sources default to any HIP, categories to LINK and DATA, the period to a year from now.</summary>
    public async Task<(HiuSubscriptionRequest Request, PlatformAnswer Answer)> AskAsync(SubscriptionAsk ask, IReadOnlyList<string> hipFacilities, CancellationToken ct)
    {
        var requestId = Guid.NewGuid().ToString();
        var request = requests[requestId] = new HiuSubscriptionRequest(requestId, ask.Patient!, DateTimeOffset.UtcNow);
        var subscription = new JsonObject
        {
            ["purpose"] = new JsonObject
            {
                ["text"] = "Follow-up care",
                ["code"] = "CAREMGT",
                ["refUri"] = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse",
            },
            ["patient"] = new JsonObject { ["id"] = ask.Patient },
            ["hiu"] = new JsonObject { ["id"] = Partner.FacilityId },
            ["categories"] = new JsonArray((ask.Categories is { Count: > 0 } categories ? categories : ["LINK", "DATA"])
                .Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["period"] = new JsonObject
            {
                ["from"] = ask.From ?? Stamp(DateTimeOffset.UtcNow.AddMinutes(-1)),
                ["to"] = ask.To ?? Stamp(DateTimeOffset.UtcNow.AddDays(365)),
            },
        };
        if (hipFacilities.Count > 0)
        {
            subscription["hips"] = new JsonArray(hipFacilities.Select(h => (JsonNode)new JsonObject { ["id"] = h }).ToArray());
        }

        var answer = await Partner.SendAsync("/v0.5/subscription-requests/cm/init", new JsonObject { ["subscription"] = subscription }, ct, requestId);
        if (!answer.Ok)
        {
            request.Status = "REFUSED";
            request.Error = JsonNode.Parse(answer.Body.Length == 0 ? "{}" : answer.Body);
        }

        return (request, answer);
    }

    public static object Describe(HiuSubscriptionRequest r) => new
    {
        requestId = r.RequestId,
        subscriptionRequestId = r.SubscriptionRequestId,
        subscriptionId = r.SubscriptionId,
        patient = r.Patient,
        status = r.Status,
        error = r.Error,
        createdAt = r.CreatedAt,
        events = r.Events.Values.ToArray(),
    };

    private Task OnInitAsync(JsonElement body, CancellationToken ct)
    {
        if (!requests.TryGetValue(body.GetProperty("resp").GetProperty("requestId").GetString()!, out var request)) return Task.CompletedTask;
        if (body.TryGetProperty("subscriptionRequest", out var created) && created.ValueKind == JsonValueKind.Object)
        {
            request.SubscriptionRequestId = created.GetProperty("id").GetString();
            request.Status = "REQUESTED";
            byPlatformId[request.SubscriptionRequestId!] = request;
        }
        else
        {
            request.Status = "FAILED";
            request.Error = body.TryGetProperty("error", out var error) ? JsonNode.Parse(error.GetRawText()) : null;
        }

        return Task.CompletedTask;
    }

    /// <summary>The patient's decision: remember the subscription's id (its events name it) and acknowledge.</summary>
    private async Task DecisionAsync(JsonElement body, CancellationToken ct)
    {
        var notification = body.GetProperty("notification");
        var subscriptionRequestId = notification.GetProperty("subscriptionRequestId").GetString()!;
        if (byPlatformId.TryGetValue(subscriptionRequestId, out var request))
        {
            request.Status = notification.GetProperty("status").GetString()!;
            if (notification.TryGetProperty("subscription", out var subscription) && subscription.ValueKind == JsonValueKind.Object
                && subscription.GetProperty("id").GetString() is { } subscriptionId)
            {
                request.SubscriptionId = subscriptionId;
                byPlatformId[subscriptionId] = request;
            }
        }

        await Partner.SendAsync("/v0.5/subscription-requests/hiu/on-notify", new JsonObject
        {
            ["acknowledgement"] = new JsonObject { ["status"] = "OK", ["subscriptionRequestId"] = subscriptionRequestId },
            ["resp"] = SampleHip.Resp(body),
        }, ct);
    }

    /// <summary>A new link or new data for the patient at a HIP: kept with its subscription (the HIU would ask for consent or data next) and acknowledged.</summary>
    private async Task EventAsync(JsonElement body, CancellationToken ct)
    {
        var @event = body.GetProperty("event");
        if (byPlatformId.TryGetValue(@event.GetProperty("subscriptionId").GetString()!, out var request))
        {
            request.Events.TryAdd(@event.GetProperty("id").GetString()!, JsonNode.Parse(@event.GetRawText())!);
        }

        await Partner.SendAsync("/v0.5/subscriptions/hiu/on-notify", new JsonObject
        {
            ["acknowledgement"] = new JsonObject { ["status"] = "OK", ["eventId"] = @event.GetProperty("id").GetString() },
            ["resp"] = SampleHip.Resp(body),
        }, ct);
    }

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString(PlatformClient.TimestampFormat, CultureInfo.InvariantCulture);
}
