using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

/// <summary>What a HIU's staff asks for: a patient's records from a HIP (<c>POST /{hiu}/consent-requests</c>).</summary>
/// <remarks>AccessMode is VIEW unless asked (STREAM or QUERY allow a subscription to the patient's new records).</remarks>
public sealed record ConsentAsk(string? Patient, string? Hip, IReadOnlyList<string>? HiTypes, string? Purpose, string? From, string? To, string? DataEraseAt,
    IReadOnlyList<ConsentAskCareContext>? CareContexts, string? AccessMode = null);

public sealed record ConsentAskCareContext(string? PatientReference, string? CareContextReference);

/// <summary>One consent request as the HIU tracks it: its own requestId, the platform's id (from on-init), the status and artefacts.</summary>
public sealed class HiuConsentRequest(string requestId, string patient, DateTimeOffset createdAt)
{
    public string RequestId { get; } = requestId;
    public string Patient { get; } = patient;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string? ConsentRequestId { get; set; }
    public string Status { get; set; } = "SENT";
    public JsonNode? Error { get; set; }
    public ConcurrentDictionary<string, JsonNode?> Artefacts { get; } = new();   // artefact id -> fetched consentDetail (null until fetched)

    /// <summary>When the platform last answered the staff's status check (consent-requests/on-status); null: never asked.</summary>
    public DateTimeOffset? StatusCheckedAt { get; set; }
}

/// <summary>
/// A sample HIU (the clinic, the pharmacy): asks for consent on its staff's behalf, acknowledges the platform's
/// consent notifications and fetches each granted artefact, as a HIU's software would.
/// </summary>
public sealed class SampleHiu
{
    private readonly ConcurrentDictionary<string, HiuConsentRequest> requests = new();          // our requestId -> request
    private readonly ConcurrentDictionary<string, HiuConsentRequest> byConsentRequestId = new();
    private readonly ConcurrentDictionary<string, HiuConsentRequest> statusChecks = new();      // consent-requests/status requestId -> request

    public SampleHiu(SamplePartner partner, PlatformClient platform)
    {
        Partner = partner;
        Data = new HiuData(partner, platform, Artefact);
        var handlers = new Dictionary<string, Func<JsonElement, CancellationToken, Task>>(StringComparer.Ordinal)
        {
            ["/v0.5/consent-requests/on-init"] = OnInitAsync,
            ["/v0.5/consents/hiu/notify"] = NotifyAsync,
            ["/v0.5/consents/on-fetch"] = OnFetchAsync,
            ["/v0.5/health-information/hiu/on-request"] = (body, ct) => Data.OnRequestAsync(body, ct),
            ["/v0.5/health-information/notify"] = Recorded,
            ["/v0.5/consent-requests/on-status"] = OnStatusAsync,
            // Answers to the HIU's own requests: recorded in the inbox, nothing to reply.
            ["/v0.5/users/auth/on-fetch-modes"] = Recorded,
            ["/v0.5/users/auth/on-init"] = Recorded,
            ["/v0.5/users/auth/on-confirm"] = Recorded,
            ["/v0.5/patients/on-find"] = Recorded,
        };
        if (partner.Roles.Contains("PHARMACY"))
        {
            foreach (var (path, handler) in new PharmacyDesk(partner).Handlers) handlers[path] = handler;
        }

        Auth = new PatientAuthDesk(partner);
        foreach (var (path, handler) in Auth.Handlers) handlers[path] = handler;
        Subscriptions = new HiuSubscriptions(partner);
        foreach (var (path, handler) in Subscriptions.Handlers) handlers[path] = handler;
        Handlers = handlers;
    }

    /// <summary>Patient authentication at the HIU's desk (users/auth/init, DIRECT notifications).</summary>
    public PatientAuthDesk Auth { get; }

    /// <summary>Its subscriptions to patients' new records (subscription-requests, subscriptions/hiu/notify).</summary>
    public HiuSubscriptions Subscriptions { get; }

    public SamplePartner Partner { get; }

    /// <summary>Its data requests and the records pushed to it (HIU-side library).</summary>
    public HiuData Data { get; }

    /// <summary>A fetched artefact (<c>{status, consentDetail, signature}</c>) of any of its requests, or null.</summary>
    public JsonNode? Artefact(string id) => requests.Values.Select(r => r.Artefacts.GetValueOrDefault(id)).FirstOrDefault(a => a is not null);

    public IReadOnlyDictionary<string, Func<JsonElement, CancellationToken, Task>> Handlers { get; }

    public IEnumerable<HiuConsentRequest> Requests => requests.Values.OrderByDescending(r => r.CreatedAt);

    public HiuConsentRequest? Find(string id) =>
        requests.TryGetValue(id, out var r) ? r : byConsentRequestId.GetValueOrDefault(id);

    /// <summary>Sends <c>/v0.5/consent-requests/init</c> for the staff's ask; the platform's id arrives in on-init.</summary>
    public async Task<(HiuConsentRequest Request, PlatformAnswer Answer)> AskAsync(ConsentAsk ask, string hipFacility, CancellationToken ct)
    {
        var requestId = Guid.NewGuid().ToString();
        var request = new HiuConsentRequest(requestId, ask.Patient!, DateTimeOffset.UtcNow);
        requests[requestId] = request;
        var consent = new JsonObject
        {
            ["purpose"] = new JsonObject
            {
                ["text"] = "Care management",
                ["code"] = ask.Purpose ?? "CAREMGT",
                ["refUri"] = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse",
            },
            ["patient"] = new JsonObject { ["id"] = ask.Patient },
            ["hip"] = new JsonObject { ["id"] = hipFacility },
            ["hiu"] = new JsonObject { ["id"] = Partner.FacilityId },
            ["requester"] = new JsonObject
            {
                ["name"] = "Dr. Manju Rao",
                ["identifier"] = new JsonObject { ["type"] = "HPR", ["value"] = Partner.RequesterHprId, ["system"] = "https://hpr.abdm.gov.in" },
            },
            ["hiTypes"] = new JsonArray((ask.HiTypes ?? ["OPConsultation", "Prescription", "DischargeSummary", "DiagnosticReport"])
                .Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            ["permission"] = new JsonObject
            {
                ["accessMode"] = ask.AccessMode ?? "VIEW",
                ["dateRange"] = new JsonObject { ["from"] = ask.From ?? "2015-01-01T00:00:00.000Z", ["to"] = ask.To ?? Stamp(DateTimeOffset.UtcNow) },
                ["dataEraseAt"] = ask.DataEraseAt ?? Stamp(DateTimeOffset.UtcNow.AddDays(30)),
                ["frequency"] = new JsonObject { ["unit"] = "HOUR", ["value"] = 1, ["repeats"] = 0 },
            },
        };
        if (ask.CareContexts is { Count: > 0 })
        {
            consent["careContexts"] = new JsonArray(ask.CareContexts.Select(c => (JsonNode)new JsonObject
            {
                ["patientReference"] = c.PatientReference,
                ["careContextReference"] = c.CareContextReference,
            }).ToArray());
        }

        var answer = await Partner.SendAsync("/v0.5/consent-requests/init", new JsonObject { ["consent"] = consent }, ct, requestId);
        if (!answer.Ok)
        {
            request.Status = "REFUSED";
            request.Error = JsonNode.Parse(answer.Body.Length == 0 ? "{}" : answer.Body);
        }

        return (request, answer);
    }

    /// <summary>The staff ask how a request stands (<c>/v0.5/consent-requests/status</c>); on-status brings the answer.</summary>
    public async Task<PlatformAnswer> CheckStatusAsync(HiuConsentRequest request, CancellationToken ct)
    {
        var requestId = Guid.NewGuid().ToString();
        statusChecks[requestId] = request;
        return await Partner.SendAsync("/v0.5/consent-requests/status", new JsonObject { ["consentRequestId"] = request.ConsentRequestId }, ct, requestId);
    }

    private static Task Recorded(JsonElement body, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The answer to a status check: the request's status and artefacts as the platform has them, or the error.</summary>
    private Task OnStatusAsync(JsonElement body, CancellationToken ct)
    {
        if (!statusChecks.TryRemove(SampleHip.AnswerTo(body), out var request)) return Task.CompletedTask;
        if (body.TryGetProperty("consentRequest", out var found) && found.ValueKind == JsonValueKind.Object)
        {
            request.Status = found.GetProperty("status").GetString() ?? request.Status;
            if (found.TryGetProperty("consentArtefacts", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var artefact in list.EnumerateArray()) request.Artefacts.TryAdd(artefact.GetProperty("id").GetString()!, null);
            }
        }
        else
        {
            request.Error = body.TryGetProperty("error", out var error) ? JsonNode.Parse(error.GetRawText()) : null;
        }

        request.StatusCheckedAt = DateTimeOffset.UtcNow;
        return Task.CompletedTask;
    }

    private Task OnInitAsync(JsonElement body, CancellationToken ct)
    {
        var answered = body.GetProperty("resp").GetProperty("requestId").GetString()!;
        if (!requests.TryGetValue(answered, out var request)) return Task.CompletedTask;
        if (body.TryGetProperty("consentRequest", out var created) && created.ValueKind == JsonValueKind.Object)
        {
            request.ConsentRequestId = created.GetProperty("id").GetString();
            request.Status = "REQUESTED";
            byConsentRequestId[request.ConsentRequestId!] = request;
        }
        else
        {
            request.Status = "FAILED";
            request.Error = body.TryGetProperty("error", out var error) ? JsonNode.Parse(error.GetRawText()) : null;
        }

        return Task.CompletedTask;
    }

    /// <summary>ABDM consent notification: acknowledge every artefact, then fetch each newly granted one.</summary>
    private async Task NotifyAsync(JsonElement body, CancellationToken ct)
    {
        var notification = body.GetProperty("notification");
        var consentRequestId = notification.GetProperty("consentRequestId").GetString()!;
        var status = notification.GetProperty("status").GetString()!;
        var artefacts = notification.TryGetProperty("consentArtefacts", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList()
            : [];
        var request = byConsentRequestId.GetValueOrDefault(consentRequestId);
        if (request is not null)
        {
            request.Status = status;
            foreach (var id in artefacts) request.Artefacts.TryAdd(id, null);
        }

        if (status is "REVOKED" or "EXPIRED") Data.Forget(artefacts);

        await Partner.SendAsync("/v0.5/consents/hiu/on-notify", new JsonObject
        {
            ["acknowledgement"] = new JsonArray(artefacts.Select(id => (JsonNode)new JsonObject { ["status"] = "OK", ["consentId"] = id }).ToArray()),
            ["resp"] = SampleHip.Resp(body),
        }, ct);

        if (status == "GRANTED")
        {
            foreach (var id in artefacts)
            {
                await Partner.SendAsync("/v0.5/consents/fetch", new JsonObject { ["consentId"] = id }, ct);
            }
        }
    }

    private Task OnFetchAsync(JsonElement body, CancellationToken ct)
    {
        if (body.TryGetProperty("consent", out var consent) && consent.TryGetProperty("consentDetail", out var detail))
        {
            var id = detail.GetProperty("consentId").GetString()!;
            foreach (var request in requests.Values.Where(r => r.Artefacts.ContainsKey(id)))
            {
                request.Artefacts[id] = JsonNode.Parse(consent.GetRawText());
            }
        }

        return Task.CompletedTask;
    }

    public object Describe(HiuConsentRequest r) => new
    {
        requestId = r.RequestId,
        consentRequestId = r.ConsentRequestId,
        patient = r.Patient,
        status = r.Status,
        error = r.Error,
        createdAt = r.CreatedAt,
        statusCheckedAt = r.StatusCheckedAt,
        artefacts = r.Artefacts.Select(a => new
        {
            id = a.Key,
            fetched = a.Value is not null,
            status = a.Value?["status"]?.GetValue<string>(),
            hip = a.Value?["consentDetail"]?["hip"]?["id"]?.GetValue<string>(),
            careContexts = a.Value?["consentDetail"]?["careContexts"],
        }).ToList(),
    };

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString(PlatformClient.TimestampFormat, CultureInfo.InvariantCulture);
}
