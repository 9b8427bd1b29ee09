using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

/// <summary>What the HIP's staff ask: link a new visit of this ABHA address (<c>POST /{hip}/care-context-links</c>).</summary>
/// <param name="AuthMode">DIRECT only (the patient approves in her app); the OTP and demographic modes need the staff at <c>users-auth</c>.</param>
public sealed record CareContextLinkAsk(string? Patient, string? AuthMode, string? Display, IReadOnlyList<string>? HiTypes);

/// <summary>One HIP-initiated linking as the desk tracks it, by the requestId of its users/auth/init.</summary>
public sealed class CareContextLinkJob(string id, string patient, string authMode, DemoCareContext careContext)
{
    public string Id { get; } = id;
    public string Patient { get; } = patient;
    public string AuthMode { get; } = authMode;
    public DemoCareContext CareContext { get; } = careContext;
    public string? PatientReference { get; set; }
    public string? AddContextsRequestId { get; set; }

    /// <summary>AUTHENTICATING, then LINKING and LINKED, or DENIED (the patient said no), or FAILED with the error.</summary>
    public string Status { get; set; } = "AUTHENTICATING";
    public JsonNode? Error { get; set; }
}

/// <summary>
/// HIP-initiated linking at the HIP's desk (ABDM M2 HIP_INTI_LINK_401/404): the staff name a patient's ABHA address
/// after a visit; the desk authenticates her for <c>LINK</c> (<see cref="PatientAuthDesk"/>: users/auth/init, DIRECT
/// by default, the patient approves in her app, users/auth/notify brings the access token), then records the visit as a
/// new care context and links it with that token (<c>links/link/add-contexts</c>), and learns the outcome from
/// <c>on-add-contexts</c>. <c>--broken-bridge malformed-add-contexts</c> leaves each care context's <c>display</c> out of
/// add-contexts, which ABDM's schema requires.
/// </summary>
public sealed class HipCareContextLinks
{
    private readonly ConcurrentDictionary<string, CareContextLinkJob> jobs = new();                   // init requestId -> job
    private readonly ConcurrentDictionary<string, CareContextLinkJob> byAddContexts = new();          // add-contexts requestId -> job
    private readonly SampleHip hip;

    public HipCareContextLinks(SampleHip hip)
    {
        this.hip = hip;
        hip.Auth.Decided += DecidedAsync;
    }

    public CareContextLinkJob? Find(string id) => jobs.GetValueOrDefault(id);

    /// <summary>Starts the patient's authentication for LINK; the visit is linked once she has approved.</summary>
    public async Task<(CareContextLinkJob Job, PlatformAnswer Answer)> AskAsync(CareContextLinkAsk ask, CancellationToken ct)
    {
        var reference = "OP-HIL-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var careContext = new DemoCareContext(reference,
            ask.Display ?? $"OPD visit, {DateTime.UtcNow.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} (linked by the hospital)",
            ask.HiTypes is { Count: > 0 } types ? types : ["OPConsultation"]);
        var requestId = Guid.NewGuid().ToString();
        var job = jobs[requestId] = new CareContextLinkJob(requestId, ask.Patient!, "DIRECT", careContext);
        var (session, answer) = await hip.Auth.AskAsync(new AuthAsk(ask.Patient, "LINK", "DIRECT"), ct, requestId);
        if (!answer.Ok) (job.Status, job.Error) = ("FAILED", session.Error);
        return (job, answer);
    }

    /// <summary>The patient answered: denied ends it; granted links the visit with the access token.</summary>
    private async Task DecidedAsync(PatientAuthSession session, string? accessToken, CancellationToken ct)
    {
        // A notify delivered again (the same requestId) decides nothing new.
        if (!jobs.TryGetValue(session.RequestId, out var job) || job.Status != "AUTHENTICATING") return;
        if (session.Status != "GRANTED" || accessToken is null)
        {
            (job.Status, job.Error) = session.Status == "DENIED" ? ("DENIED", null) : ("FAILED", session.Error);
            return;
        }

        // The visit joins the patient's record at the hospital when she is known there (linked before), else a record by her address.
        var record = hip.LinkedAddresses.TryGetValue(job.Patient, out var known) ? hip.Patients.FirstOrDefault(p => p.ReferenceNumber == known) : null;
        job.PatientReference = record?.ReferenceNumber ?? "HOSP-ABHA-" + job.Patient;
        if (record is not null) hip.AddCareContext(record.ReferenceNumber, job.CareContext);
        var careContext = new JsonObject { ["referenceNumber"] = job.CareContext.ReferenceNumber };
        if (hip.Partner.BrokenBridge != "malformed-add-contexts") careContext["display"] = job.CareContext.Display;
        careContext["hiTypes"] = new JsonArray(job.CareContext.HiTypes.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray());
        var requestId = Guid.NewGuid().ToString();
        job.AddContextsRequestId = requestId;
        byAddContexts[requestId] = job;
        job.Status = "LINKING";
        var answer = await hip.Partner.SendAsync("/v0.5/links/link/add-contexts", new JsonObject
        {
            ["link"] = new JsonObject
            {
                ["accessToken"] = accessToken,
                ["patient"] = new JsonObject
                {
                    ["referenceNumber"] = job.PatientReference,
                    ["display"] = record?.Display ?? job.Patient,
                    ["careContexts"] = new JsonArray(careContext),
                },
            },
        }, ct, requestId);
        if (!answer.Ok) (job.Status, job.Error) = ("FAILED", JsonNode.Parse(answer.Body.Length == 0 ? "{}" : answer.Body));
    }

    /// <summary>The platform's answer to add-contexts: linked, or the error.</summary>
    public Task OnAddContextsAsync(JsonElement body, CancellationToken ct)
    {
        var requestId = body.TryGetProperty("resp", out var resp) ? resp.GetProperty("requestId").GetString() ?? "" : "";
        if (!byAddContexts.TryGetValue(requestId, out var job)) return Task.CompletedTask;
        if (body.TryGetProperty("acknowledgement", out var ack) && ack.ValueKind == JsonValueKind.Object && ack.GetProperty("status").GetString() == "SUCCESS")
        {
            job.Status = "LINKED";
        }
        else
        {
            (job.Status, job.Error) = ("FAILED", body.TryGetProperty("error", out var error) ? JsonNode.Parse(error.GetRawText()) : null);
        }

        return Task.CompletedTask;
    }

    public static object Describe(CareContextLinkJob j) => new
    {
        id = j.Id,
        patient = j.Patient,
        authMode = j.AuthMode,
        status = j.Status,
        patientReference = j.PatientReference,
        careContext = new { referenceNumber = j.CareContext.ReferenceNumber, display = j.CareContext.Display, hiTypes = j.CareContext.HiTypes },
        addContextsRequestId = j.AddContextsRequestId,
        error = j.Error,
    };
}
