using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.Cli.Story;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.Fhir.Documents;

namespace Ndhm.Cli.Conformance;

/// <summary>Who the HIU under test is, and how its operator's actions are started.</summary>
/// <param name="DeskUrl">
/// The HIU's desk (the sample partners' <c>http://127.0.0.1:7072/clinic</c>: <c>POST consent-requests</c>,
/// <c>POST health-information-requests</c>), which the kit calls through the <see cref="StoryClient"/>'s partners
/// client; null: the kit asks the operator on the console to do it in the HIU's own screens.
/// </param>
public sealed record HiuConformanceTarget(string ClientId, string ClientSecret, StoryPatient Patient, Uri? DeskUrl, TimeSpan Wait);

/// <summary>
/// ABDM's M3 functional test cases for a HIU, run against the sandbox. The kit is the patient (enrols a sandbox KYC
/// identity, sees the HIU's request, grants, revokes) and the counter-party HIP (registered by the kit, its bridge the
/// sandbox's recording bridge <c>/api/sandbox/bridges/hip</c>; it links a care context of its own to the patient,
/// answers the data request and pushes a FHIR document encrypted for the HIU with the partner library's
/// <see cref="HipDataSender"/>). The HIU starts its own actions, as its operator would: through its desk
/// (<see cref="HiuConformanceTarget.DeskUrl"/>) or on the console. Each case passes or fails with the reason: what the
/// patient did not see, how the platform's message to the HIU's bridge fared, what its data-push URL answered, whether
/// it reported receipt.
/// </summary>
public sealed class HiuConformance(StoryClient http, HiuConformanceTarget target, Func<string, string?> ask)
{
    private const string KitBridge = "hip";
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly KitPlatform kit = new(http, target.Wait);
    private string hiuId = "";
    private EnrolledPatient patient = new("", "", "", "", 0, "");
    private KitPartner kitHip = new("", "", "");
    private string patientReference = "";
    private string careContext = "";
    private string consentRequestId = "";
    private string consentFrom = "";
    private string consentTo = "";
    private string artefactId = "";

    public IReadOnlyList<StoryStep> Steps =>
    [
        new("PARTNER_SESSION", "The partner opens a session and is a registered HIU", _ => SessionAsync()),
        new("KIT_SETUP", "Kit: the patient enrols; the counter-party HIP is registered and links a care context", _ => SetupAsync()),
        new("HIU_FLOW_102", "Consent request initiation: the request reaches the patient (on-init accepted)", _ => RequestAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("KIT_GRANT", "Kit: the patient grants; the HIU accepts hiu/notify and fetches the artefact", _ => GrantAsync(), ["HIU_FLOW_102"]),
        new("HIU_FLOW_104", "Consent request status: the HIU asks how its request stands (consent-requests/status) and accepts on-status (GRANTED)", _ => StatusAsync(), ["KIT_GRANT"]),
        new("HIU_FLOW_106", "Approved consent: the HIU asks for data, takes the push, reports receipt", _ => DataAsync(), ["KIT_GRANT"]),
        new("HIU_FLOW_202", "Revoke consent: the HIU's bridge accepts the REVOKED notification", _ => RevokeAsync(), ["KIT_GRANT"]),
    ];

    private async Task<string> SessionAsync()
    {
        (hiuId, var bridge) = await kit.OpenPartnerSessionAsync(target.ClientId, target.ClientSecret, "HIU");
        return $"{target.ClientId}: HIU for facility {hiuId}, bridge {bridge}";
    }

    private async Task<string> SetupAsync()
    {
        patient = await new EndToEndStory(http, target.Patient).EnrolPatientAsync();
        kitHip = await kit.RegisterAsync("HIP", KitBridge, run, "Conformance Kit Hospital", "Hospital");
        patientReference = "KIT-" + run;
        careContext = "KIT-OP-" + run;
        var party = new Dictionary<string, string> { ["X-HIP-ID"] = kitHip.Facility };

        // HIP-initiated linking, as a HIP does after a visit: a link token for the patient, then add-contexts with it.
        var tokenRequest = Guid.NewGuid().ToString();
        var (status, answer) = await StoryClient.RawAsync(http.Platform, HttpMethod.Post, "api/v3/token/generate-token", kitHip.Token,
            new { abhaAddress = patient.Address, name = patient.Name, gender = patient.Gender, yearOfBirth = patient.YearOfBirth },
            new Dictionary<string, string>(party) { ["REQUEST-ID"] = tokenRequest, ["TIMESTAMP"] = KitPlatform.Now(), ["X-CM-ID"] = "sbx" });
        if (status != HttpStatusCode.Accepted) throw new StoryException($"kit HIP generate-token: {(int)status} {StoryClient.Shorten(answer.ToString())}");
        var issued = await kit.ReceivedAsync(KitBridge, "/v3/hip/token/on-generate-token",
                         b => b.TryGetProperty("response", out var r) && r.StrOrNull("requestId") == tokenRequest)
                     ?? throw new StoryException("the platform sent the kit's HIP no on-generate-token");
        var linkToken = issued.StrOrNull("linkToken") ?? throw new StoryException($"no link token for {patient.Address}: {StoryClient.Shorten(issued.GetRawText())}");
        var addRequest = Guid.NewGuid().ToString();
        await kit.AbdmAsync("/v0.5/links/link/add-contexts", addRequest, new JsonObject
        {
            ["link"] = new JsonObject
            {
                ["accessToken"] = linkToken,
                ["patient"] = new JsonObject
                {
                    ["referenceNumber"] = patientReference,
                    ["display"] = patient.Name,
                    ["careContexts"] = new JsonArray(new JsonObject
                    {
                        ["referenceNumber"] = careContext, ["display"] = "OPD consultation (conformance kit)", ["hiTypes"] = new JsonArray("OPConsultation"),
                    }),
                },
            },
        }, kitHip.Token, party);
        var added = await kit.AnswerAsync(KitBridge, "/v0.5/links/link/on-add-contexts", addRequest);
        if (!added.TryGetProperty("acknowledgement", out var ack) || ack.StrOrNull("status") != "SUCCESS")
            throw new StoryException($"the kit's HIP could not link {careContext}: {StoryClient.Shorten(added.GetRawText())}");
        return $"patient {patient.Address}; kit HIP {kitHip.ClientId} ({kitHip.Facility}) linked {careContext}, bridge {kit.BridgeUrl(KitBridge)}";
    }

    private async Task<string> RequestAsync()
    {
        var before = (await PendingAsync()).Select(r => r.Str("id")).ToHashSet(StringComparer.Ordinal);
        var askedAt = DateTimeOffset.UtcNow;
        await OperatorAsync("consent-requests", new { patient = patient.Address, hip = kitHip.Facility },
            $"In the HIU, request consent for {patient.Address} from HIP {kitHip.Facility} (any purpose and hiTypes, including OPConsultation), then press Enter: ");
        JsonElement? seen = null;
        var deadline = DateTime.UtcNow + target.Wait;
        while (seen is null && DateTime.UtcNow <= deadline)
        {
            seen = (await PendingAsync()).Cast<JsonElement?>()
                .FirstOrDefault(r => !before.Contains(r!.Value.Str("id")) && r.Value.GetProperty("hiu").StrOrNull("id") == hiuId);
            if (seen is null) await Task.Delay(250);
        }

        if (seen is null)
            throw new StoryException($"no consent request from {hiuId} reached the patient within {target.Wait.TotalSeconds:0} s "
                                     + "(the HIU's consent-requests/init was not sent, or refused: the platform answers a malformed one with 400)");
        consentRequestId = seen.Value.Str("id");
        var range = seen.Value.GetProperty("permission").GetProperty("dateRange");
        (consentFrom, consentTo) = (range.Str("from"), range.Str("to"));
        var delivery = await kit.DeliveredAsync("/v0.5/consent-requests/on-init", askedAt, "HIU");
        var hiTypes = string.Join(",", seen.Value.GetProperty("hiTypes").EnumerateArray().Select(t => t.GetString()));
        return $"request {consentRequestId} pending with the patient ({seen.Value.GetProperty("purpose").StrOrNull("code")}, {hiTypes}); {delivery}";
    }

    private async Task<string> GrantAsync()
    {
        var grantedAt = DateTimeOffset.UtcNow;
        var granted = await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", patient.Token, new
        {
            hips = new[] { new { id = kitHip.Facility, careContexts = new[] { new { patientReference, careContextReference = careContext } } } },
        });
        artefactId = granted.GetProperty("artefacts")[0].Str("id");
        var notified = await kit.DeliveredAsync("/v0.5/consents/hiu/notify", grantedAt, "HIU");
        string fetched;
        try
        {
            fetched = await kit.DeliveredAsync("/v0.5/consents/on-fetch", grantedAt, "HIU");
        }
        catch (StoryException e)
        {
            throw new StoryException($"the HIU did not fetch artefact {artefactId} (consents/fetch), or its bridge refused the answer: {e.Message}");
        }

        return $"artefact {artefactId}; {notified}; fetched: {fetched}";
    }

    /// <summary>
    /// ABDM HIU_FLOW_104: the HIU shows its requests with their status. ABDM gives a HIU one way to learn it besides the
    /// notifications: consent-requests/status per request, answered by on-status; the kit checks the HIU asks after the
    /// grant and accepts the answer, and with the desk that the request there shows GRANTED.
    /// </summary>
    private async Task<string> StatusAsync()
    {
        var askedAt = DateTimeOffset.UtcNow;
        await OperatorAsync($"consent-requests/{consentRequestId}/status", new { },
            $"In the HIU, refresh the status of consent request {consentRequestId} (consent-requests/status), then press Enter: ");
        var delivered = await kit.DeliveredAsync("/v0.5/consent-requests/on-status", askedAt, "HIU");
        if (target.DeskUrl is null) return $"request {consentRequestId}: {delivered}";

        await StoryClient.UntilAsync($"the HIU's request {consentRequestId} GRANTED", () => http.PartnerAsync(HttpMethod.Get, $"consent-requests/{consentRequestId}"),
            shown => shown.StrOrNull("statusCheckedAt") is not null && shown.StrOrNull("status") == "GRANTED", target.Wait,
            shown => $"{delivered}, but the HIU's desk shows request {consentRequestId} as {shown.StrOrNull("status")} "
                     + $"(status checked: {shown.StrOrNull("statusCheckedAt") ?? "never"}), not GRANTED");
        return $"request {consentRequestId}: {delivered}; the HIU's desk shows it GRANTED";
    }

    private async Task<string> DataAsync()
    {
        var askedAt = DateTimeOffset.UtcNow;
        // Inside the consent's own range: the platform refuses a data request reaching beyond it (as ABDM's gateway does).
        await OperatorAsync("health-information-requests", new { consentId = artefactId, from = consentFrom, to = consentTo },
            $"In the HIU, fetch the health records granted under consent artefact {artefactId} (patient {patient.Address}, {consentFrom} to {consentTo}), then press Enter: ");
        var body = await kit.ReceivedAsync(KitBridge, "/v0.5/health-information/hip/request",
                       b => b.TryGetProperty("hiRequest", out var hi) && hi.GetProperty("consent").StrOrNull("id") == artefactId)
                   ?? throw new StoryException($"no data request under artefact {artefactId} reached the kit's HIP within {target.Wait.TotalSeconds:0} s: "
                                               + await NoDataRequestAsync(askedAt));
        var request = HipTransferRequest.Parse(body);
        // The HIU learns the transaction (and which keys decrypt it) from on-request: a push before that would be refused.
        var acknowledged = await kit.DeliveredAsync("/v0.5/health-information/hiu/on-request", askedAt, "HIU");
        var party = new Dictionary<string, string> { ["X-HIP-ID"] = kitHip.Facility };
        await kit.AbdmAsync("/v0.5/health-information/hip/on-request", Guid.NewGuid().ToString(), new JsonObject
        {
            ["hiRequest"] = new JsonObject { ["transactionId"] = request.TransactionId, ["sessionStatus"] = "ACKNOWLEDGED" },
            ["resp"] = new JsonObject { ["requestId"] = body.Str("requestId") },
        }, kitHip.Token, party);

        var record = new HipHealthRecord(careContext, SampleRecords.Of(AbdmDocumentType.OPConsultation, patient.Address, kitHip.Facility, DateTimeOffset.UtcNow.AddMinutes(-1)));
        var answers = new PushAnswers { InnerHandler = new HttpClientHandler() };
        using var pushClient = new HttpClient(answers) { Timeout = TimeSpan.FromSeconds(30) };
        var sender = new HipDataSender(pushClient, TimeProvider.System, new HipDataSenderOptions { PushRetryWindow = TimeSpan.FromSeconds(5) });
        HipSendResult sent;
        try
        {
            sent = await sender.SendAsync(request, [record], CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoryException)
        {
            throw new StoryException($"the HIU's key material in its data request is unusable ({e.GetType().Name}: {e.Message})");
        }

        var report = (JsonObject)JsonSerializer.SerializeToNode(sender.Notification(request, kitHip.Facility, sent), StoryJson.Options)!;
        await kit.AbdmAsync("/v0.5/health-information/notify", Guid.NewGuid().ToString(), report, kitHip.Token, party);
        if (!sent.AllDelivered)
            throw new StoryException($"the HIU's data-push URL {request.DataPushUrl} refused the push: {answers.Last ?? sent.CareContexts.FirstOrDefault()?.Description}");

        var transaction = await TransactionAsync(request.TransactionId, t => t.GetProperty("careContexts").EnumerateArray().All(c => c.StrOrNull("hiuStatus") is not null));
        var receipts = transaction.GetProperty("careContexts").EnumerateArray().Select(c => (Reference: c.StrOrNull("careContextReference"), Status: c.StrOrNull("hiuStatus"))).ToList();
        if (receipts.Any(r => r.Status is null))
            throw new StoryException($"the push was accepted ({answers.Status}) but the HIU reported no receipt (health-information/notify, notifier HIU) "
                                     + $"within {target.Wait.TotalSeconds:0} s; transaction {request.TransactionId} {transaction.StrOrNull("status")}");
        if (receipts.Any(r => r.Status != "OK"))
            throw new StoryException($"the HIU reported {string.Join(", ", receipts.Select(r => $"{r.Reference} {r.Status}"))} for a push it accepted");
        return $"transaction {request.TransactionId}: {acknowledged}; {sent.CareContexts.Count} care context(s) pushed to {request.DataPushUrl} "
               + $"(answered {answers.Status}); the HIU reported {string.Join(", ", receipts.Select(r => $"{r.Reference} {r.Status}"))}";
    }

    /// <summary>Why no hip/request came: the HIU sent no data request, or the platform refused it (its on-request carried the error).</summary>
    private async Task<string> NoDataRequestAsync(DateTimeOffset askedAt)
    {
        var note = await kit.DeliveryNoteAsync("/v0.5/health-information/hiu/on-request", askedAt);
        return note.Contains("reached the bridge", StringComparison.Ordinal)
            ? $"the platform answered a health-information/cm/request of the HIU (hiu/on-request delivered) but asked the HIP nothing, so it refused it "
              + $"(the error is in that on-request: an artefact not granted to this HIU, a dateRange outside the consent's {consentFrom} to {consentTo}, "
              + "unusable key material or dataPushUrl)"
            : $"the HIU sent no health-information/cm/request ({note})";
    }

    private async Task<string> RevokeAsync()
    {
        var revokedAt = DateTimeOffset.UtcNow;
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consents/{artefactId}/revoke", patient.Token);
        return $"artefact {artefactId} revoked; {await kit.DeliveredAsync("/v0.5/consents/hiu/notify", revokedAt, "HIU")}";
    }

    /// <summary>The HIU's operator does something: through its desk when there is one, else asked on the console.</summary>
    private async Task OperatorAsync(string deskPath, object deskBody, string prompt)
    {
        if (target.DeskUrl is not null)
        {
            var (status, answer) = await StoryClient.RawAsync(http.Partners, HttpMethod.Post, deskPath, null, deskBody);
            if ((int)status is < 200 or >= 300)
                throw new StoryException($"the HIU's desk {target.DeskUrl}{deskPath}: {(int)status} {StoryClient.ShortBody(answer)}");
            return;
        }

        if (ask(prompt) is null) throw new StoryException("no answer on the console");
    }

    private async Task<List<JsonElement>> PendingAsync() =>
        (await http.CallAsync(HttpMethod.Get, "api/v1/patients/me/consent-requests?status=REQUESTED", patient.Token))
        .GetProperty("consentRequests").EnumerateArray().ToList();

    private async Task<JsonElement> TransactionAsync(string transactionId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + target.Wait;
        while (true)
        {
            var last = await http.CallAsync(HttpMethod.Get, $"api/v1/health-information/transactions/{transactionId}", kit.Admin);
            if (done(last) || DateTime.UtcNow > deadline) return last;
            await Task.Delay(250);
        }
    }

    /// <summary>Keeps what the HIU's data-push URL last answered (status and body), for the reason when it refuses.</summary>
    private sealed class PushAnswers : DelegatingHandler
    {
        public int? Status { get; private set; }

        /// <summary>The last answer's status and body.</summary>
        public string? Last { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            Status = (int)response.StatusCode;
            Last = $"{Status} {StoryClient.Shorten(text)}".TrimEnd();
            return response;
        }
    }
}
