using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

/// <summary>What the HIP's staff ask: link a new visit of this ABHA address (<c>POST /{hip}/care-context-links</c>).</summary>
/// <param name="AuthMode">
/// DIRECT (the default: the patient approves in her app), MOBILE_OTP (she reads the OTP sent to her mobile to the staff,
/// who enter it at <c>POST /{hip}/care-context-links/{id}/otp</c>) or DEMOGRAPHICS (the desk confirms with
/// <paramref name="Demographic"/>, or, without it, her name, gender and year of birth from the hospital's record of her).
/// </param>
/// <param name="Demographic">DEMOGRAPHICS: her name, gender and date of birth as the staff type them from her ID.</param>
public sealed record CareContextLinkAsk(string? Patient, string? AuthMode, string? Display, IReadOnlyList<string>? HiTypes, PatientDemographic? Demographic = null);

/// <summary>The OTP the patient read to the staff (<c>POST /{hip}/care-context-links/{id}/otp</c>).</summary>
public sealed record CareContextLinkOtp(string? Otp);

/// <summary>One HIP-initiated linking as the desk tracks it, by the requestId of its users/auth/init.</summary>
public sealed class CareContextLinkJob(string id, string patient, string authMode, DemoCareContext careContext)
{
    public string Id { get; } = id;
    public string Patient { get; } = patient;
    public string AuthMode { get; } = authMode;
    public DemoCareContext CareContext { get; } = careContext;
    public PatientAuthSession? Session { get; set; }
    public string? PatientReference { get; set; }
    public string? AddContextsRequestId { get; set; }

    /// <summary>AUTHENTICATING (MOBILE_OTP: AWAITING_OTP once on-init came), then LINKING and LINKED, or DENIED (the patient said no), or FAILED with the error.</summary>
    public string Status { get; set; } = "AUTHENTICATING";

    /// <summary>What the staff see: a MOBILE_OTP authentication whose transaction has begun waits for the patient's OTP.</summary>
    public string Shown => Status == "AUTHENTICATING" && Session is { Status: "AWAITING_CONFIRM" } ? "AWAITING_OTP" : Status;
    public JsonNode? Error { get; set; }
}

/// <summary>
/// HIP-initiated linking at the HIP's desk (ABDM M2 HIP_INTI_LINK_401/404 with Direct Auth, HIP_INTI_LINK_201 with mobile
/// OTP, HIP_INTI_LINK_501 with demographic auth): the staff name a patient's ABHA address after a visit; the desk
/// authenticates her for <c>LINK</c> (<see cref="PatientAuthDesk"/>: users/auth/init; DIRECT by default, the patient
/// approves in her app and users/auth/notify brings the access token; MOBILE_OTP, the staff enter the OTP she received,
/// users/auth/confirm, and on-confirm brings it; DEMOGRAPHICS, users/auth/confirm with her demographics once on-init
/// came, and on-confirm brings it), then records the visit as a
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

    /// <summary>Starts the patient's authentication for LINK; the visit is linked once she has approved (or her OTP is confirmed).</summary>
    public async Task<(CareContextLinkJob Job, PlatformAnswer Answer)> AskAsync(CareContextLinkAsk ask, CancellationToken ct)
    {
        var reference = "OP-HIL-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var careContext = new DemoCareContext(reference,
            ask.Display ?? $"OPD visit, {DateTime.UtcNow.ToString("d MMM yyyy", CultureInfo.InvariantCulture)} (linked by the hospital)",
            ask.HiTypes is { Count: > 0 } types ? types : ["OPConsultation"]);
        var requestId = Guid.NewGuid().ToString();
        var mode = ask.AuthMode ?? "DIRECT";
        var job = jobs[requestId] = new CareContextLinkJob(requestId, ask.Patient!, mode, careContext);
        var demographic = mode == "DEMOGRAPHICS" ? DemographicOf(ask) : null;
        var (session, answer) = await hip.Auth.AskAsync(new AuthAsk(ask.Patient, "LINK", mode, demographic), ct, requestId);
        job.Session = session;
        if (!answer.Ok) (job.Status, job.Error) = ("FAILED", session.Error);
        return (job, answer);
    }

    /// <summary>
    /// DEMOGRAPHICS: the details the staff typed, else her name, gender and year of birth from the hospital's record of
    /// her (when her address was linked there before); null when the desk has neither.
    /// </summary>
    public PatientDemographic? DemographicOf(CareContextLinkAsk ask)
    {
        if (ask.Demographic is { } typed) return typed;
        var record = RecordOf(ask.Patient ?? "");
        return record is null ? null : new PatientDemographic(record.Name, record.Gender, record.YearOfBirth.ToString(CultureInfo.InvariantCulture));
    }

    private DemoPatient? RecordOf(string address) =>
        hip.LinkedAddresses.TryGetValue(address, out var known) ? hip.Patients.FirstOrDefault(p => p.ReferenceNumber == known) : null;

    /// <summary>MOBILE_OTP: the OTP the patient read out; null when the job is not waiting for one (no such job, another mode, on-init not yet in).</summary>
    public async Task<PlatformAnswer?> ConfirmOtpAsync(string id, string otp, CancellationToken ct)
    {
        if (Find(id) is not { AuthMode: "MOBILE_OTP", Session: { TransactionId: not null } session } job || job.Shown != "AWAITING_OTP") return null;
        return await hip.Auth.ConfirmAsync(session, otp, ct); // a refused confirm is decided (FAILED) like a refusing on-confirm
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
        var record = RecordOf(job.Patient);
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
        status = j.Shown,
        patientReference = j.PatientReference,
        careContext = new { referenceNumber = j.CareContext.ReferenceNumber, display = j.CareContext.Display, hiTypes = j.CareContext.HiTypes },
        addContextsRequestId = j.AddContextsRequestId,
        error = j.Error,
    };
}
