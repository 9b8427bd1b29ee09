using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.SamplePartners;

/// <summary>What a partner's staff asks: authenticate this ABHA address for this purpose (<c>POST /{partner}/users-auth</c>).</summary>
/// <param name="Demographic">DEMOGRAPHICS: the patient's details as the staff have them, confirmed as soon as on-init opens the transaction.</param>
public sealed record AuthAsk(string? Patient, string? Purpose, string? AuthMode, PatientDemographic? Demographic = null);

/// <summary>ABDM's <c>credential.demographic</c>: the patient's name, gender (M, F, O, U) and date of birth (<c>yyyy-MM-dd</c>, or the year).</summary>
public sealed record PatientDemographic(string? Name, string? Gender, string? DateOfBirth)
{
    public JsonObject ToCredential() => new() { ["demographic"] = new JsonObject { ["name"] = Name, ["gender"] = Gender, ["dateOfBirth"] = DateOfBirth } };
}

/// <summary>One users/auth session as the partner tracks it: its init requestId, the transaction, and how it ended.</summary>
public sealed class PatientAuthSession(string requestId, string patient, string purpose, string? mode)
{
    public string RequestId { get; } = requestId;
    public string Patient { get; } = patient;
    public string Purpose { get; } = purpose;
    public string? Mode { get; set; } = mode;
    public string? TransactionId { get; set; }

    /// <summary>DEMOGRAPHICS: what the staff entered, sent in users/auth/confirm once on-init names the transaction.</summary>
    public PatientDemographic? EnteredDemographic { get; init; }

    /// <summary>SENT, then AWAITING_PATIENT (DIRECT) or AWAITING_CONFIRM (then CONFIRMING once the OTP is sent), then GRANTED / DENIED, or ERROR.</summary>
    public string Status { get; set; } = "SENT";
    public bool HasAccessToken { get; set; }
    public JsonNode? Demographics { get; set; }
    public JsonNode? Error { get; set; }
    public string? NotificationRequestId { get; set; }
}

/// <summary>
/// Patient authentication at a partner's desk (HIP or HIU): <c>users/auth/init</c> for the staff's ask, the
/// transaction from <c>on-init</c>, and in DIRECT mode the patient's answer from <c>users/auth/notify</c>, which the
/// partner acknowledges with <c>users/auth/on-notify</c> as ABDM asks; in MOBILE_OTP mode the OTP she read out goes in
/// <c>users/auth/confirm</c> and <c>on-confirm</c> answers; in DEMOGRAPHICS mode the details the staff entered go in
/// <c>users/auth/confirm</c> as soon as on-init names the transaction, and <c>on-confirm</c> answers. The access token stays with the partner (the
/// desk's view says only whether there is one).
/// </summary>
public sealed class PatientAuthDesk
{
    private readonly ConcurrentDictionary<string, PatientAuthSession> sessions = new();          // init requestId -> session
    private readonly ConcurrentDictionary<string, PatientAuthSession> byTransaction = new();
    private readonly ConcurrentDictionary<string, JsonElement> earlyNotifies = new();             // transactionId -> a notify before its on-init
    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, PatientAuthSession> byConfirm = new();          // confirm requestId -> session

    public PatientAuthDesk(SamplePartner partner)
    {
        Partner = partner;
        Handlers = new Dictionary<string, Func<JsonElement, CancellationToken, Task>>(StringComparer.Ordinal)
        {
            ["/v0.5/users/auth/on-init"] = OnInitAsync,
            ["/v0.5/users/auth/notify"] = NotifyAsync,
            ["/v0.5/users/auth/on-confirm"] = OnConfirmAsync,
        };
    }

    public SamplePartner Partner { get; }

    public IReadOnlyDictionary<string, Func<JsonElement, CancellationToken, Task>> Handlers { get; }

    public PatientAuthSession? Find(string id) => sessions.GetValueOrDefault(id) ?? byTransaction.GetValueOrDefault(id);

    /// <summary>
    /// The patient answered: DIRECT in her app (users/auth/notify, acknowledged), MOBILE_OTP or DEMOGRAPHICS by what the
    /// partner confirmed (users/auth/on-confirm, or the platform refusing the confirm itself). The access token (null when denied or refused, or not for a linking purpose)
    /// goes to whoever acts on it (the HIP's linking desk) and is not kept here.
    /// </summary>
    public event Func<PatientAuthSession, string?, CancellationToken, Task>? Decided;

    /// <summary>MOBILE_OTP: the OTP the patient read out goes to the platform (users/auth/confirm); on-confirm decides.</summary>
    public Task<PlatformAnswer> ConfirmAsync(PatientAuthSession session, string otp, CancellationToken ct) =>
        ConfirmAsync(session, new JsonObject { ["authCode"] = otp }, ct);

    /// <summary>users/auth/confirm with the credential; on-confirm decides, or the platform's refusal of the confirm does at once.</summary>
    private async Task<PlatformAnswer> ConfirmAsync(PatientAuthSession session, JsonObject credential, CancellationToken ct)
    {
        var requestId = Guid.NewGuid().ToString();
        byConfirm[requestId] = session;
        session.Status = "CONFIRMING";
        var answer = await Partner.SendAsync("/v0.5/users/auth/confirm", new JsonObject
        {
            ["transactionId"] = session.TransactionId,
            ["credential"] = credential,
        }, ct, requestId);
        if (answer.Ok) return answer;
        (session.Status, session.Error) = ("ERROR", JsonNode.Parse(answer.Body.Length == 0 ? "{}" : answer.Body));
        if (Decided is { } decided) await decided(session, null, ct);
        return answer;
    }

    /// <summary>Sends users/auth/init as this partner, in its own role and facility (under <paramref name="requestId"/> when given).</summary>
    public async Task<(PatientAuthSession Session, PlatformAnswer Answer)> AskAsync(AuthAsk ask, CancellationToken ct, string? requestId = null)
    {
        requestId ??= Guid.NewGuid().ToString();
        var session = sessions[requestId] = new PatientAuthSession(requestId, ask.Patient!, ask.Purpose ?? "KYC_AND_LINK", ask.AuthMode)
        {
            EnteredDemographic = ask.Demographic,
        };
        var query = new JsonObject
        {
            ["id"] = ask.Patient,
            ["purpose"] = session.Purpose,
            ["requester"] = new JsonObject { ["type"] = Partner.Kind == PartnerKind.Hip ? "HIP" : "HIU", ["id"] = Partner.FacilityId },
        };
        if (ask.AuthMode is not null) query["authMode"] = ask.AuthMode;
        var answer = await Partner.SendAsync("/v0.5/users/auth/init", new JsonObject { ["query"] = query }, ct, requestId);
        if (!answer.Ok) (session.Status, session.Error) = ("ERROR", JsonNode.Parse(answer.Body.Length == 0 ? "{}" : answer.Body));
        return (session, answer);
    }

    public static object Describe(PatientAuthSession s) => new
    {
        requestId = s.RequestId,
        patient = s.Patient,
        purpose = s.Purpose,
        mode = s.Mode,
        transactionId = s.TransactionId,
        status = s.Status,
        hasAccessToken = s.HasAccessToken,
        demographics = s.Demographics,
        error = s.Error,
        notificationRequestId = s.NotificationRequestId,
    };

    private async Task OnInitAsync(JsonElement body, CancellationToken ct)
    {
        if (!sessions.TryGetValue(body.GetProperty("resp").GetProperty("requestId").GetString() ?? "", out var session)) return;
        JsonElement? early = null;
        var opened = false;
        lock (gate)
        {
            if (body.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object)
            {
                opened = session.TransactionId is null; // an on-init delivered again opens nothing new
                session.TransactionId = auth.GetProperty("transactionId").GetString();
                session.Mode = auth.GetProperty("mode").GetString();
                session.Status = session.Mode == "DIRECT" ? "AWAITING_PATIENT" : "AWAITING_CONFIRM";
                byTransaction[session.TransactionId!] = session;
                if (earlyNotifies.TryRemove(session.TransactionId!, out var notify)) early = notify;
            }
            else
            {
                (session.Status, session.Error) = ("ERROR", JsonNode.Parse(body.GetProperty("error").GetRawText()));
            }
        }

        // Callbacks come over separate deliveries, so the patient's answer can arrive before on-init names the transaction.
        if (early is { } decidedFirst) await DecideAsync(session, decidedFirst, ct);
        if (opened && session.Mode == "DEMOGRAPHICS" && session.EnteredDemographic is { } demographic)
            await ConfirmAsync(session, demographic.ToCredential(), ct);
    }

    /// <summary>MOBILE_OTP, DEMOGRAPHICS: the platform's answer to the confirm: the access token, or the error (a wrong OTP, demographics that do not match).</summary>
    private async Task OnConfirmAsync(JsonElement body, CancellationToken ct)
    {
        if (!byConfirm.TryGetValue(SampleHip.AnswerTo(body), out var session)) return;
        string? accessToken = null;
        if (body.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object
            && auth.TryGetProperty("accessToken", out var token) && token.ValueKind == JsonValueKind.String)
        {
            accessToken = KeepGrant(session, auth);
            session.Status = "GRANTED";
        }
        else
        {
            (session.Status, session.Error) = ("ERROR", body.TryGetProperty("error", out var error) ? JsonNode.Parse(error.GetRawText()) : null);
        }

        if (Decided is { } decided) await decided(session, accessToken, ct);
    }

    /// <summary>DIRECT: the patient answered in their app. Acknowledge (on-notify, resp.requestId = the notify's), then act on the outcome.</summary>
    private async Task NotifyAsync(JsonElement body, CancellationToken ct)
    {
        var transactionId = body.GetProperty("auth").GetProperty("transactionId").GetString() ?? "";
        PatientAuthSession? session;
        lock (gate)
        {
            if (!byTransaction.TryGetValue(transactionId, out session)) earlyNotifies[transactionId] = body.Clone();
        }

        await Partner.SendAsync("/v0.5/users/auth/on-notify", new JsonObject
        {
            ["acknowledgement"] = new JsonObject { ["status"] = "OK" },
            ["resp"] = SampleHip.Resp(body),
        }, ct);
        if (session is not null) await DecideAsync(session, body, ct);
    }

    private async Task DecideAsync(PatientAuthSession session, JsonElement notify, CancellationToken ct)
    {
        var auth = notify.GetProperty("auth");
        var accessToken = KeepGrant(session, auth);
        session.NotificationRequestId = notify.GetProperty("requestId").GetString();
        session.Status = auth.GetProperty("status").GetString() ?? "ERROR"; // last: whoever polls the status finds the rest in place
        if (Decided is { } decided) await decided(session, accessToken, ct);
    }

    /// <summary>Whether the patient's answer carries an access token, and her details from it, kept on the session: the token itself.</summary>
    private static string? KeepGrant(PatientAuthSession session, JsonElement auth)
    {
        session.HasAccessToken = auth.TryGetProperty("accessToken", out var token) && token.ValueKind == JsonValueKind.String;
        session.Demographics = auth.TryGetProperty("patient", out var patient) ? JsonNode.Parse(patient.GetRawText()) : null;
        return session.HasAccessToken ? token.GetString() : null;
    }
}
