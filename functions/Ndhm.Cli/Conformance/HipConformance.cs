using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Ndhm.Cli.Story;
using Ndhm.Fidelius;

namespace Ndhm.Cli.Conformance;

/// <summary>Who the partner under test is, how the kit learns the HIP's linking OTP, and where its desk is.</summary>
/// <param name="OtpUrl">Where the HIP's text messages can be read (the sample partners' <c>GET /{hip}/sms</c>); null: ask on the console.</param>
/// <param name="DeskUrl">
/// The HIP's desk (the sample partners' <c>http://127.0.0.1:7072/hospital</c>): <c>POST care-context-links {patient,
/// authMode}</c> starts HIP-initiated linking of a new visit (MOBILE_OTP: <c>POST care-context-links/{id}/otp {otp}</c>
/// hands it the OTP the patient received), <c>GET messages?path=&amp;direction=</c> shows the ABDM
/// messages its bridge sent and received, which the kit checks against ABDM's schema. Called through the
/// <see cref="StoryClient"/>'s partners client. Null: the kit asks the operator on the console and checks no message bodies.
/// </param>
public sealed record ConformanceTarget(string ClientId, string ClientSecret, StoryPatient Patient, string? OtpUrl, TimeSpan Wait, Uri? DeskUrl = null);

/// <summary>
/// ABDM's M2 functional test cases for a HIP, run against the sandbox: the kit is the patient (enrols a sandbox KYC
/// identity, discovers, links with the HIP's own OTP, grants and revokes, approves and denies the HIP's Direct Auth
/// requests of HIP-initiated linking, hands the HIP the OTP its mobile-OTP linking sent her) and the counter-party HIU (registered by the kit, its bridge the sandbox's
/// recording bridge <c>/api/sandbox/bridges/hiu</c>, its data-push URL there too), and checks what the partner's
/// bridge did at each step: each case passes or fails with the reason (which callback did not come, what the platform
/// answered, how the platform's message to the bridge fared, which ABDM schema rule the pushed data or, read from the
/// HIP's desk (<see cref="ConformanceTarget.DeskUrl"/>, <see cref="PartnerMessages"/>), a message of its bridge broke).
/// </summary>
public sealed class HipConformance(StoryClient http, ConformanceTarget target, Func<string, string?> ask)
{
    private const string Timestamp = KitPlatform.Timestamp;
    private const string KitBridge = "hiu";

    /// <summary>How long the consent HIP_INIT_EXPIRE_CONSENT grants lasts (its dataEraseAt): enough to grant it on a loaded machine.</summary>
    private static readonly TimeSpan ExpiringConsentLifetime = TimeSpan.FromSeconds(10);
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly KitPlatform kit = new(http, target.Wait);
    private readonly PartnerMessages bridge = new(http, target.DeskUrl is not null, target.Wait, "HIP");
    private string hipId = "";
    private string token = "";
    private string address = "";
    private KitPartner kitHiu = new("", "", "");
    private string kitDoctor = "";
    private string discovery = "";
    private string patientReference = "";
    private List<string> careContexts = [];
    private string artefactId = "";
    private string consentFrom = "";
    private string consentTo = "";
    private string hipLinkJob = "";
    private HashSet<string> linkedBefore = [];
    private KitDemographic demographic = new("", "", "");

    public IReadOnlyList<StoryStep> Steps =>
    [
        new("PARTNER_SESSION", "The partner opens a session and is a registered HIP", _ => SessionAsync()),
        new("KIT_SETUP", "Kit: the patient enrols; the counter-party HIU is registered", _ => SetupAsync()),
        new("USER_INIT_LINK_604", "Fetch health records: the HIP answers discovery (on-discover)", _ => DiscoverAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("USER_INIT_LINK_605", "Link with the HIP's OTP (on-init, on-confirm)", _ => LinkAsync(), ["USER_INIT_LINK_604"]),
        new("HIP_INIT_GRANT_CONSENT", "The HIP is notified of the granted consent and accepts it", _ => GrantAsync(), ["USER_INIT_LINK_605"]),
        new("HIP_INIT_SHARE_CARECONTEXT", "The HIP shares the care contexts encrypted (hip/on-request, push, notify)", _ => ShareAsync(), ["HIP_INIT_GRANT_CONSENT"]),
        new("HIP_INIT_REVOKE_CONSENT", "The HIP is notified of the revocation; no data flows after it", _ => RevokeAsync(), ["HIP_INIT_GRANT_CONSENT"]),
        new("HIP_INIT_EXPIRE_CONSENT", "The HIP is notified when a granted consent expires; no data flows after it", _ => ExpireAsync(), ["USER_INIT_LINK_605"]),
        new("HIP_INTI_LINK_201", "HIP-initiated linking, mobile OTP: the HIP's users/auth/init (LINK, MOBILE_OTP) sends the patient an OTP; the HIP confirms it and links a new care context with the access token", _ => MobileOtpLinkAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("HIP_INTI_LINK_401", "HIP-initiated linking, Direct Auth: the HIP's users/auth/init (LINK, DIRECT) reaches the patient; she approves; the HIP acknowledges", _ => DirectAuthAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("HIP_INTI_LINK_404", "HIP-initiated linking, Direct Auth: the HIP links a new care context with the access token (add-contexts); the patient sees it", _ => AddContextsAsync(), ["HIP_INTI_LINK_401"]),
        new("KIT_DIRECT_AUTH_DENIED", "HIP-initiated linking, Direct Auth denied: the HIP acknowledges and links nothing", _ => DirectAuthDeniedAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("HIP_INTI_LINK_501", "HIP-initiated linking, demographic auth: the HIP's users/auth/init (LINK, DEMOGRAPHICS) and confirm with the patient's name, gender and date of birth; the HIP links a new care context with the access token", _ => DemographicLinkAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("KIT_DEMOGRAPHICS_MISMATCH", "HIP-initiated linking, demographic auth with a mistyped year of birth: the platform refuses the confirm; the HIP links nothing", _ => DemographicsMismatchAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
    ];

    private async Task<string> SessionAsync()
    {
        (hipId, var bridge) = await kit.OpenPartnerSessionAsync(target.ClientId, target.ClientSecret, "HIP");
        return $"{target.ClientId}: HIP for facility {hipId}, bridge {bridge}";
    }

    private async Task<string> SetupAsync()
    {
        var story = new EndToEndStory(http, target.Patient);
        var enrolled = await story.EnrolPatientAsync();
        (token, address) = (enrolled.Token, enrolled.Address);
        demographic = KitDemographic.Of(enrolled);
        kitHiu = await kit.RegisterAsync("HIU", KitBridge, run, "Conformance Kit Clinic", "Clinic");
        kitDoctor = (await http.CallAsync(HttpMethod.Post, "api/v1/professionals", kit.Admin, new
        {
            name = "Kit Doctor", category = "doctor", council = "Maharashtra Medical Council", registrationNumber = "MMC/KIT-" + run,
            qualifications = new[] { "MBBS" }, specialties = new[] { "General Medicine" }, languages = new[] { "English" }, facilityIds = new[] { kitHiu.Facility },
        }, HttpStatusCode.Created)).Str("hprId");
        await http.CallAsync(HttpMethod.Post, $"api/v1/professionals/{kitDoctor}/verify", kit.Admin);
        return $"patient {address}; kit HIU {kitHiu.ClientId} ({kitHiu.Facility}) with doctor {kitDoctor}, bridge {kit.BridgeUrl(KitBridge)}";
    }

    private async Task<string> DiscoverAsync()
    {
        discovery = (await http.CallAsync(HttpMethod.Post, "api/v1/patients/me/discover", token, new { hipId }, HttpStatusCode.Accepted)).Str("transactionId");
        var result = await WaitAsync($"api/v1/patients/me/discoveries/{discovery}", token, d => d.StrOrNull("status") != "PENDING");
        if (result.StrOrNull("status") == "PENDING")
        {
            // A malformed on-discover is refused by the platform and looks missing from here: the desk shows why.
            var sent = await bridge.ReasonAsync("/v0.5/care-contexts/on-discover", b => b.StrOrNull("transactionId") == discovery, "for this discovery");
            throw new StoryException($"no on-discover from the HIP within {target.Wait.TotalSeconds:0} s; {sent ?? await kit.DeliveryNoteAsync("/v0.5/care-contexts/discover")}");
        }

        if (result.StrOrNull("status") != "FOUND")
            throw new StoryException($"discovery ended {result.StrOrNull("status")}: {StoryClient.Shorten(result.GetRawText())} (the HIP's on-discover error, or the platform's timeout)");
        var patient = result.GetProperty("patient");
        patientReference = patient.Str("referenceNumber");
        careContexts = patient.GetProperty("careContexts").EnumerateArray().Select(c => c.Str("referenceNumber")).ToList();
        if (careContexts.Count == 0) throw new StoryException("on-discover named the patient but no care contexts");
        await bridge.CheckAsync("/v0.5/care-contexts/on-discover", "sent", b => b.StrOrNull("transactionId") == discovery, "for this discovery");
        return $"{patientReference}: {string.Join(", ", careContexts)}{SchemaNote("on-discover")}";
    }

    private async Task<string> LinkAsync()
    {
        var linkRequest = (await http.CallAsync(HttpMethod.Post, "api/v1/patients/me/links", token,
            new { transactionId = discovery, careContexts }, HttpStatusCode.Accepted)).Str("linkRequestId");
        var awaiting = await WaitAsync($"api/v1/patients/me/link-requests/{linkRequest}", token, r => r.StrOrNull("status") != "REQUESTED");
        if (awaiting.StrOrNull("status") == "REQUESTED")
            throw new StoryException($"no valid on-init from the HIP within {target.Wait.TotalSeconds:0} s (a malformed one is refused by the platform and never counts); "
                                     + (await bridge.ReasonAsync("/v0.5/links/link/on-init", b => b.StrOrNull("transactionId") == discovery, "for this link")
                                        ?? await kit.DeliveryNoteAsync("/v0.5/links/link/init")));
        await bridge.CheckAsync("/v0.5/links/link/on-init", "sent", b => b.StrOrNull("transactionId") == discovery, "for this link");
        if (awaiting.StrOrNull("status") != "AWAITING_OTP") throw new StoryException($"link init ended {StoryClient.Shorten(awaiting.GetRawText())}");
        var linkRef = awaiting.Str("linkRefNumber");
        var otp = await OtpAsync(linkRef, awaiting.StrOrNull("communicationHint"));
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/links/{linkRef}/confirm", token, new { otp }, HttpStatusCode.Accepted);
        var linked = await WaitAsync($"api/v1/patients/me/link-requests/{linkRequest}", token, r => r.StrOrNull("status") is "LINKED" or "FAILED");
        bool Confirms(JsonElement b) => b.GetProperty("patient").StrOrNull("referenceNumber") == patientReference;
        if (linked.StrOrNull("status") != "LINKED")
            throw new StoryException($"no LINKED after the OTP: {StoryClient.Shorten(linked.GetRawText())}; "
                                     + (await bridge.ReasonAsync("/v0.5/links/link/on-confirm", Confirms, "for this link") ?? await kit.DeliveryNoteAsync("/v0.5/links/link/confirm")));
        await bridge.CheckAsync("/v0.5/links/link/on-confirm", "sent", Confirms, "for this link");
        return $"OTP to {awaiting.StrOrNull("communicationHint")}; {careContexts.Count} care context(s) linked{SchemaNote("on-init and on-confirm")}";
    }

    private async Task<string> OtpAsync(string linkRef, string? hint)
    {
        if (target.OtpUrl is null)
            return ask($"Enter the OTP the HIP sent to {hint} (link {linkRef}): ") ?? throw new StoryException("no OTP entered");
        var url = target.OtpUrl + (target.OtpUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "mobile=" + target.Patient.Mobile;
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow + target.Wait;
        while (true)
        {
            var messages = JsonDocument.Parse(await client.GetStringAsync(url)).RootElement.GetProperty("messages");
            var found = messages.EnumerateArray().FirstOrDefault(m => m.StrOrNull("linkRefNumber") == linkRef);
            if (found.ValueKind == JsonValueKind.Object) return found.Str("otp");
            if (DateTime.UtcNow > deadline) throw new StoryException($"the HIP sent no OTP for link {linkRef} ({url})");
            await Task.Delay(250);
        }
    }

    private async Task<string> GrantAsync()
    {
        consentFrom = new DateTime(DateTime.UtcNow.Year - 5, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToString(Timestamp, CultureInfo.InvariantCulture);
        consentTo = DateTime.UtcNow.ToString(Timestamp, CultureInfo.InvariantCulture);
        (artefactId, var delivery) = await ConsentGrantedAsync(DateTime.UtcNow.AddDays(1));
        return $"artefact {artefactId}; {delivery}{SchemaNote("consents/hip/on-notify")}";
    }

    /// <summary>The kit's HIU asks consent for the linked care contexts until <paramref name="dataEraseAt"/>; the patient grants; the HIP accepts the notification and acknowledges the artefact.</summary>
    private async Task<(string ArtefactId, string Delivery)> ConsentGrantedAsync(DateTime dataEraseAt)
    {
        var requestId = Guid.NewGuid().ToString();
        await AbdmAsync("/v0.5/consent-requests/init", requestId, new JsonObject
        {
            ["consent"] = new JsonObject
            {
                ["purpose"] = new JsonObject { ["text"] = "Care management", ["code"] = "CAREMGT", ["refUri"] = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse" },
                ["patient"] = new JsonObject { ["id"] = address },
                ["hip"] = new JsonObject { ["id"] = hipId },
                ["hiu"] = new JsonObject { ["id"] = kitHiu.Facility },
                ["requester"] = new JsonObject
                {
                    ["name"] = "Dr. Kit Doctor",
                    ["identifier"] = new JsonObject { ["type"] = "HPR", ["value"] = kitDoctor, ["system"] = "https://hpr.abdm.gov.in" },
                },
                ["hiTypes"] = new JsonArray("OPConsultation", "Prescription", "DischargeSummary", "DiagnosticReport", "ImmunizationRecord", "HealthDocumentRecord", "WellnessRecord"),
                ["permission"] = new JsonObject
                {
                    ["accessMode"] = "VIEW",
                    ["dateRange"] = new JsonObject { ["from"] = consentFrom, ["to"] = consentTo },
                    ["dataEraseAt"] = dataEraseAt.ToString(Timestamp, CultureInfo.InvariantCulture),
                    ["frequency"] = new JsonObject { ["unit"] = "HOUR", ["value"] = 1, ["repeats"] = 0 },
                },
            },
        });
        var onInit = await KitReceivedAsync("/v0.5/consent-requests/on-init", requestId);
        var consentRequestId = onInit.GetProperty("consentRequest").Str("id");
        var grantedAt = DateTimeOffset.UtcNow;
        var granted = await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", token, new
        {
            hips = new[] { new { id = hipId, careContexts = careContexts.Select(c => new { patientReference, careContextReference = c }).ToArray() } },
        });
        var artefact = granted.GetProperty("artefacts")[0].Str("id");
        var delivery = await kit.DeliveredAsync("/v0.5/consents/hip/notify", grantedAt, "HIP");
        await bridge.CheckAsync("/v0.5/consents/hip/on-notify", "sent",
            b => b.GetProperty("acknowledgement").StrOrNull("consentId") == artefact, "acknowledging the artefact");
        return (artefact, delivery);
    }

    private async Task<string> ShareAsync()
    {
        var keys = FideliusKeyMaterial.Generate(TimeProvider.System, TimeSpan.FromHours(2));
        var requestId = Guid.NewGuid().ToString();
        var pushPath = $"/kit-push/{requestId}";
        var pushUrl = kit.BridgeUrl(KitBridge, pushPath);
        await AbdmAsync("/v0.5/health-information/cm/request", requestId, new JsonObject
        {
            ["hiRequest"] = new JsonObject
            {
                ["consent"] = new JsonObject { ["id"] = artefactId },
                ["dateRange"] = new JsonObject { ["from"] = consentFrom, ["to"] = consentTo },
                ["dataPushUrl"] = pushUrl,
                ["keyMaterial"] = JsonSerializer.SerializeToNode(keys.ToAbdm(), StoryJson.Options),
            },
        });
        var onRequest = await KitReceivedAsync("/v0.5/health-information/hiu/on-request", requestId);
        if (onRequest.TryGetProperty("error", out var refused) && refused.ValueKind == JsonValueKind.Object)
            throw new StoryException($"the platform refused the data request: {refused.GetRawText()}");
        var transactionId = onRequest.GetProperty("hiRequest").Str("transactionId");
        await bridge.CheckAsync("/v0.5/health-information/hip/on-request", "sent",
            b => b.GetProperty("hiRequest").StrOrNull("transactionId") == transactionId, "acknowledging the data request");
        var pushed = await KitPushAsync(pushPath);
        var problems = SchemaProblems(pushed);
        if (problems.Count > 0)
            throw new StoryException($"the HIP's data push does not match ABDM's DataNotification (ndhm-hiu.yml): {string.Join("; ", problems.Take(4))}");
        var sender = AbdmKeyMaterial.Parse(pushed.GetProperty("keyMaterial").GetRawText(), TimeProvider.System, TimeSpan.FromMinutes(5));
        var shared = new List<string>();
        foreach (var entry in pushed.GetProperty("entries").EnumerateArray())
        {
            var reference = entry.StrOrNull("careContextReference") ?? "?";
            if (!careContexts.Contains(reference)) throw new StoryException($"the HIP pushed care context {reference}, which the consent does not cover");
            string json;
            try
            {
                json = FideliusCipher.DecryptToString(entry.Str("content"), keys.Nonce, sender.Nonce, keys.PrivateKey, sender.PublicKey);
            }
            catch (FideliusException e)
            {
                throw new StoryException($"entry {reference} does not decrypt with the request's key material: {e.Message}");
            }

            var bundle = JsonDocument.Parse(json).RootElement;
            if (bundle.StrOrNull("resourceType") != "Bundle") throw new StoryException($"entry {reference} decrypts to a {bundle.StrOrNull("resourceType")}, not a FHIR Bundle");
            shared.Add($"{reference} ({json.Length} bytes)");
        }

        if (shared.Count == 0) throw new StoryException("the HIP pushed no entries");
        await bridge.CheckAsync("/v0.5/health-information/notify", "sent",
            b => b.GetProperty("notification").StrOrNull("transactionId") == transactionId, "reporting the transfer");
        return $"pushed, schema-valid, decrypted: {string.Join(", ", shared)}{SchemaNote("hip/on-request and health-information/notify")}";
    }

    private async Task<string> RevokeAsync()
    {
        var revokedAt = DateTimeOffset.UtcNow;
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consents/{artefactId}/revoke", token);
        var delivery = await kit.DeliveredAsync("/v0.5/consents/hip/notify", revokedAt, "HIP");
        return $"{delivery}; a later data request is refused ({await DataRequestRefusedAsync(artefactId, "revoked")})";
    }

    /// <summary>
    /// ABDM HIP_INIT_EXPIRE_CONSENT: a consent granted until a few seconds from now ends; the HIP accepts the EXPIRED
    /// notification (and, with the desk, acknowledges the artefact again), and a later data request is refused.
    /// </summary>
    private async Task<string> ExpireAsync()
    {
        var dataEraseAt = DateTime.UtcNow + ExpiringConsentLifetime;
        var (expiring, _) = await ConsentGrantedAsync(dataEraseAt);
        var afterGrant = DateTimeOffset.UtcNow;
        var wait = dataEraseAt - DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        // The platform's expiry timer would get there within its period; the kit does not wait for it.
        await http.CallAsync(HttpMethod.Post, "api/v1/admin/consents/sweep", kit.Admin);
        var delivery = await kit.DeliveredAsync("/v0.5/consents/hip/notify", afterGrant, "HIP");
        var acknowledged = "";
        if (bridge.Available)
        {
            await bridge.CheckAsync("/v0.5/consents/hip/on-notify", "sent",
                b => b.GetProperty("acknowledgement").StrOrNull("consentId") == expiring && b.StrOrNull("timestamp") is { } at
                     && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, out var sent) && sent >= afterGrant.AddMilliseconds(-1),
                "acknowledging the expiry");
            acknowledged = "; on-notify matches ABDM's schema";
        }

        return $"artefact {expiring} expired at {dataEraseAt.ToString(Timestamp, CultureInfo.InvariantCulture)}; {delivery}{acknowledged}; "
               + $"a later data request is refused ({await DataRequestRefusedAsync(expiring, "expired")})";
    }

    /// <summary>The kit's HIU asks data under an artefact that has ended: the platform's on-request must carry the error, whose code is returned.</summary>
    private async Task<string?> DataRequestRefusedAsync(string artefact, string ended)
    {
        var requestId = Guid.NewGuid().ToString();
        var keys = FideliusKeyMaterial.Generate(TimeProvider.System, TimeSpan.FromHours(2));
        await AbdmAsync("/v0.5/health-information/cm/request", requestId, new JsonObject
        {
            ["hiRequest"] = new JsonObject
            {
                ["consent"] = new JsonObject { ["id"] = artefact },
                ["dateRange"] = new JsonObject { ["from"] = consentFrom, ["to"] = consentTo },
                ["dataPushUrl"] = kit.BridgeUrl(KitBridge, $"/kit-push/{requestId}"),
                ["keyMaterial"] = JsonSerializer.SerializeToNode(keys.ToAbdm(), StoryJson.Options),
            },
        });
        var onRequest = await KitReceivedAsync("/v0.5/health-information/hiu/on-request", requestId);
        if (!onRequest.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            throw new StoryException($"a data request under the {ended} artefact was accepted: {StoryClient.Shorten(onRequest.GetRawText())}");
        return error.StrOrNull("code");
    }

    /// <summary>
    /// ABDM HIP_INTI_LINK_401: the HIP asks to authenticate the patient for linking with Direct Auth; she finds the request
    /// in her app and approves; the HIP is told (users/auth/notify, with the access token) and acknowledges (on-notify).
    /// </summary>
    private async Task<string> DirectAuthAsync()
    {
        linkedBefore = await LinkedAtHipAsync();
        var (transactionId, purpose, started) = await HipAsksDirectAuthAsync();
        if (purpose is not ("LINK" or "KYC_AND_LINK"))
            throw new StoryException($"the HIP asked with purpose {purpose}, which gives no access token for linking (ABDM: LINK)");
        var decidedAt = DateTimeOffset.UtcNow;
        var decision = await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/auth-requests/{transactionId}/approve", token);
        var notification = decision.Str("notificationRequestId");
        var delivered = await kit.DeliveredAsync("/v0.5/users/auth/notify", decidedAt, "HIP");
        if (!bridge.Available) return $"transaction {transactionId} ({purpose}, DIRECT) approved; {delivered}; {started}";
        await bridge.CheckAsync("/v0.5/users/auth/init", "sent", b => b.StrOrNull("requestId") == hipLinkJob, "for this linking");
        await bridge.CheckAsync("/v0.5/users/auth/on-init", "received", b => PartnerMessages.AnswerTo(b) == hipLinkJob, "answering its init");
        await bridge.CheckAsync("/v0.5/users/auth/notify", "received", b => b.StrOrNull("requestId") == notification, "telling the approval");
        await bridge.CheckAsync("/v0.5/users/auth/on-notify", "sent", b => PartnerMessages.AnswerTo(b) == notification, "acknowledging the approval");
        return $"transaction {transactionId} ({purpose}, DIRECT) approved; {delivered}; users/auth/init, on-init, notify and on-notify match ABDM's schema, on-notify accepted";
    }

    /// <summary>ABDM HIP_INTI_LINK_404: the HIP links a new care context with the access token; the patient finds it linked at the HIP.</summary>
    private Task<string> AddContextsAsync() => NewContextLinkedAsync(hipLinkJob, linkedBefore);

    /// <summary>
    /// ABDM HIP_INTI_LINK_201: the HIP asks to authenticate the patient for linking with mobile OTP (users/auth/init); the
    /// OTP reaches her mobile (the kit reads it as the sandbox shows it, <c>GET /api/sandbox/otp-outbox</c>) and she gives
    /// it to the HIP, which confirms it (users/auth/confirm); on-confirm brings the access token, with which the HIP links
    /// a new care context (add-contexts, on-add-contexts), and she finds it linked.
    /// </summary>
    private async Task<string> MobileOtpLinkAsync()
    {
        var before = await LinkedAtHipAsync();
        var otpsBefore = (await PartnerAuthOtpsAsync()).Select(m => m.Str("txnId")).ToHashSet(StringComparer.Ordinal);
        string? job = null;
        if (target.DeskUrl is not null)
        {
            job = await StartAtDeskAsync(new { patient = address, authMode = "MOBILE_OTP" }, "MOBILE_OTP");
        }
        else if (ask($"In the HIP, link a new visit of {address} to her ABHA with her mobile OTP: users/auth/init (purpose LINK, authMode MOBILE_OTP); press Enter once started: ") is null)
        {
            throw new StoryException("no answer on the console");
        }

        var otp = await PatientsNewOtpAsync(otpsBefore)
                  ?? throw new StoryException($"no OTP reached the patient's mobile within {target.Wait.TotalSeconds:0} s (the HIP's users/auth/init was not sent, not MOBILE_OTP, or refused); "
                                              + (job is null ? "" : await bridge.ReasonAsync("/v0.5/users/auth/init", b => b.StrOrNull("requestId") == job, "for this linking") ?? "")
                                              + $" {await kit.DeliveryNoteAsync("/v0.5/users/auth/on-init")}");
        if (job is null)
        {
            if (ask($"The patient received the OTP {otp}: enter it in the HIP (users/auth/confirm); press Enter once done: ") is null)
                throw new StoryException("no answer on the console");
            return await NewContextLinkedAsync(null, before);
        }

        // The OTP can reach her before on-init reaches the HIP; until then the desk answers 409 (not awaiting an OTP).
        var otpDeadline = DateTime.UtcNow + target.Wait;
        var (otpStatus, otpAnswer) = await StoryClient.RawAsync(http.Partners, HttpMethod.Post, $"care-context-links/{job}/otp", null, new { otp });
        while (otpStatus == HttpStatusCode.Conflict && DateTime.UtcNow <= otpDeadline)
        {
            await Task.Delay(250);
            (otpStatus, otpAnswer) = await StoryClient.RawAsync(http.Partners, HttpMethod.Post, $"care-context-links/{job}/otp", null, new { otp });
        }

        if ((int)otpStatus is < 200 or >= 300)
            throw new StoryException($"the HIP's desk {target.DeskUrl}/care-context-links/{job}/otp: {(int)otpStatus} {StoryClient.ShortBody(otpAnswer)}");
        var (transactionId, onConfirm) = await ConfirmedAtDeskAsync(job, "MOBILE_OTP", "with the patient's OTP");
        if (AccessTokenIn(onConfirm) is null)
            throw new StoryException($"the platform refused the HIP's confirm of the patient's OTP: {StoryClient.Shorten(onConfirm.GetRawText())}");
        var linked = await NewContextLinkedAsync(job, before);
        return $"transaction {transactionId} (LINK, MOBILE_OTP), the OTP from the patient's mobile confirmed; {linked}; users/auth/init, on-init, confirm and on-confirm match ABDM's schema";
    }

    /// <summary>
    /// ABDM HIP_INTI_LINK_501 (run through to 503, the demographics validated and a linking token generated, and 505, the
    /// HIP links): the HIP asks to authenticate the patient for linking with demographic auth (users/auth/init), confirms
    /// with her name, gender and date of birth as on her ID (users/auth/confirm, <c>credential.demographic</c>); on-confirm
    /// brings the access token, with which the HIP links a new care context, and she finds it linked.
    /// </summary>
    private async Task<string> DemographicLinkAsync()
    {
        var before = await LinkedAtHipAsync();
        if (target.DeskUrl is null)
        {
            if (ask($"In the HIP, link a new visit of {address} to her ABHA with demographic auth: users/auth/init (purpose LINK, authMode DEMOGRAPHICS), "
                    + $"then users/auth/confirm with credential.demographic {demographic} (as on her ID); press Enter once done: ") is null)
                throw new StoryException("no answer on the console");
            return await NewContextLinkedAsync(null, before);
        }

        var job = await StartAtDeskAsync(new { patient = address, authMode = "DEMOGRAPHICS", demographic }, "DEMOGRAPHICS");
        var (transactionId, onConfirm) = await ConfirmedAtDeskAsync(job, "DEMOGRAPHICS", "with the patient's demographics");
        if (AccessTokenIn(onConfirm) is null)
            throw new StoryException($"the platform refused the HIP's confirm of the patient's demographics ({demographic}): {StoryClient.Shorten(onConfirm.GetRawText())}");
        var linked = await NewContextLinkedAsync(job, before);
        return $"transaction {transactionId} (LINK, DEMOGRAPHICS), her name, gender and date of birth confirmed; {linked}; users/auth/init, on-init, confirm and on-confirm match ABDM's schema";
    }

    /// <summary>
    /// The kit's refusal case for demographic auth (ABDM names none): the HIP confirms with a mistyped year of birth; the
    /// platform's on-confirm carries an error and no access token, the desk's linking ends FAILED, and nothing new is linked.
    /// </summary>
    private async Task<string> DemographicsMismatchAsync()
    {
        var before = await LinkedAtHipAsync();
        var mistyped = demographic.WithYearMistyped();
        string outcome;
        if (target.DeskUrl is null)
        {
            var askedAt = DateTimeOffset.UtcNow;
            if (ask($"In the HIP, link a new visit of {address} with demographic auth again (users/auth/init, LINK, DEMOGRAPHICS), but confirm with "
                    + $"credential.demographic {mistyped} (a mistyped year of birth); the platform refuses it; press Enter once your HIP shows the refusal: ") is null)
                throw new StoryException("no answer on the console");
            outcome = await kit.DeliveredAsync("/v0.5/users/auth/on-confirm", askedAt, "HIP");
        }
        else
        {
            var job = await StartAtDeskAsync(new { patient = address, authMode = "DEMOGRAPHICS", demographic = mistyped }, "DEMOGRAPHICS");
            var (transactionId, onConfirm) = await ConfirmedAtDeskAsync(job, "DEMOGRAPHICS", "with the mistyped demographics");
            if (AccessTokenIn(onConfirm) is not null)
                throw new StoryException($"the platform granted an access token for demographics her ABHA does not hold ({mistyped}): a sandbox defect, not the HIP's");
            var refusal = onConfirm.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? error : default;
            if (refusal.ValueKind != JsonValueKind.Object)
                throw new StoryException($"on-confirm carries neither an access token nor an error (a sandbox defect, not the HIP's): {StoryClient.Shorten(onConfirm.GetRawText())}");
            var settled = await DeskLinkSettledAsync(job);
            var status = settled.StrOrNull("status");
            if (status != "FAILED")
                throw new StoryException($"the platform refused the confirm ({refusal.GetRawText()}), yet the HIP's desk shows the linking {status ?? "without a status"}, not FAILED");
            var reference = settled.TryGetProperty("careContext", out var c) ? c.StrOrNull("referenceNumber") : null;
            if (await bridge.FindAsync("/v0.5/links/link/add-contexts", "sent", b => b.GetProperty("link").GetProperty("patient").GetProperty("careContexts").EnumerateArray()
                    .Any(x => x.StrOrNull("referenceNumber") == reference), TimeSpan.Zero) is not null)
                throw new StoryException($"the platform refused the confirm, yet the HIP sent add-contexts for {reference}");
            outcome = $"transaction {transactionId}: the confirm with {mistyped} refused by on-confirm ({refusal.StrOrNull("code")}: {refusal.StrOrNull("message")}); "
                      + "the desk's linking FAILED, no add-contexts; users/auth/init, on-init, confirm and on-confirm match ABDM's schema (but for the error's code)";
        }

        var added = (await LinkedAtHipAsync()).Except(before).ToList();
        if (added.Count > 0) throw new StoryException($"the demographics did not match, yet {string.Join(", ", added)} got linked at {hipId}");
        return $"{outcome}; nothing new linked";
    }

    /// <summary>Asks the HIP's desk to link a new visit of the patient (<c>POST care-context-links</c>): the job's id, the requestId of its users/auth/init.</summary>
    private async Task<string> StartAtDeskAsync(object linkAsk, string mode)
    {
        var (status, answer) = await StoryClient.RawAsync(http.Partners, HttpMethod.Post, "care-context-links", null, linkAsk);
        if ((int)status is < 200 or >= 300)
            throw new StoryException($"the HIP's desk {target.DeskUrl}/care-context-links ({mode}): {(int)status} {StoryClient.ShortBody(answer)}");
        return answer.Str("id");
    }

    /// <summary>
    /// The desk's job <paramref name="job"/>'s users/auth/init, the on-init answering it (in <paramref name="mode"/>), the
    /// HIP's confirm of that transaction and the on-confirm answering it, each checked against ABDM's schema: the
    /// transaction and the on-confirm, whether it grants or refuses.
    /// </summary>
    private async Task<(string TransactionId, JsonElement OnConfirm)> ConfirmedAtDeskAsync(string job, string mode, string credential)
    {
        await bridge.CheckAsync("/v0.5/users/auth/init", "sent", b => b.StrOrNull("requestId") == job, "for this linking");
        var onInit = await bridge.CheckAsync("/v0.5/users/auth/on-init", "received", b => PartnerMessages.AnswerTo(b) == job, "answering its init")
                     ?? throw new StoryException("unreachable: a desk without messages");
        var given = onInit.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object ? auth.StrOrNull("mode") : null;
        if (given != mode) throw new StoryException($"on-init answered the HIP's init with mode {given ?? "none"}: {StoryClient.Shorten(onInit.GetRawText())}");
        var transactionId = auth.Str("transactionId");
        var confirm = await bridge.CheckAsync("/v0.5/users/auth/confirm", "sent", b => b.StrOrNull("transactionId") == transactionId, credential)
                      ?? throw new StoryException("unreachable: a desk without messages");
        // The platform writes an error's code as a string in ABDM's "ABDM-1045" form, which v0.5's Error.code (an integer,
        // 1000 or 10001) does not allow; a HIP cannot be failed for that, so the kit does not hold a refusal's code to it.
        var onConfirm = await bridge.CheckAsync("/v0.5/users/auth/on-confirm", "received", b => PartnerMessages.AnswerTo(b) == confirm.Str("requestId"), "answering its confirm",
                            excusedAt: "/error/code")
                        ?? throw new StoryException("unreachable: a desk without messages");
        return (transactionId, onConfirm);
    }

    private static string? AccessTokenIn(JsonElement onConfirm) =>
        onConfirm.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.Object ? auth.StrOrNull("accessToken") : null;

    /// <summary>The desk's view of its linking <paramref name="job"/> once it is no longer under way (the case fails when it still is after the wait).</summary>
    private Task<JsonElement> DeskLinkSettledAsync(string job) =>
        StoryClient.UntilAsync($"the HIP's linking {job} settled", () => http.PartnerAsync(HttpMethod.Get, $"care-context-links/{job}"),
            j => j.StrOrNull("status") is not ("AUTHENTICATING" or "AWAITING_OTP" or "LINKING"), target.Wait);

    /// <summary>The OTPs for partner authentication the sandbox "sent" to the patient's mobile, newest first (loopback callers only).</summary>
    private async Task<List<JsonElement>> PartnerAuthOtpsAsync() =>
        (await http.CallAsync(HttpMethod.Get, $"api/sandbox/otp-outbox?mobile={target.Patient.Mobile}")).GetProperty("messages").EnumerateArray()
        .Where(m => m.StrOrNull("purpose") == "PartnerAuth").ToList();

    private async Task<string?> PatientsNewOtpAsync(HashSet<string> seen)
    {
        var deadline = DateTime.UtcNow + target.Wait;
        while (true)
        {
            var fresh = (await PartnerAuthOtpsAsync()).Cast<JsonElement?>().FirstOrDefault(m => !seen.Contains(m!.Value.Str("txnId")));
            if (fresh is { } found) return found.Str("otp");
            if (DateTime.UtcNow > deadline) return null;
            await Task.Delay(250);
        }
    }

    /// <summary>
    /// The HIP linked a new care context with the access token and the patient finds it; with the desk, the care context
    /// its job <paramref name="job"/> reports, and its add-contexts and on-add-contexts checked against ABDM's schema.
    /// </summary>
    private async Task<string> NewContextLinkedAsync(string? job, HashSet<string> linkedBefore)
    {
        string schemaNote = "";
        var hipLinkedContext = "";
        if (bridge.Available && job is not null)
        {
            var linkJob = await http.PartnerAsync(HttpMethod.Get, $"care-context-links/{job}");
            var wanted = linkJob.TryGetProperty("careContext", out var c) ? c.StrOrNull("referenceNumber") : null;
            var added = await bridge.CheckAsync("/v0.5/links/link/add-contexts", "sent",
                            b => wanted is null || b.GetProperty("link").GetProperty("patient").GetProperty("careContexts").EnumerateArray().Any(x => x.StrOrNull("referenceNumber") == wanted),
                            "with the access token")
                        ?? throw new StoryException("unreachable: a desk without messages");
            var answer = await bridge.CheckAsync("/v0.5/links/link/on-add-contexts", "received",
                             b => PartnerMessages.AnswerTo(b) == added.Str("requestId"), "answering its add-contexts")
                         ?? throw new StoryException("unreachable: a desk without messages");
            if (answer.TryGetProperty("error", out var refused) && refused.ValueKind == JsonValueKind.Object)
                throw new StoryException($"the platform refused the HIP's add-contexts: {refused.GetRawText()}");
            hipLinkedContext = wanted ?? "";
            schemaNote = "; add-contexts and on-add-contexts match ABDM's schema";
        }

        var deadline = DateTime.UtcNow + target.Wait;
        HashSet<string> now;
        do
        {
            now = await LinkedAtHipAsync();
            if (hipLinkedContext.Length > 0 ? now.Contains(hipLinkedContext) : now.Except(linkedBefore).Any()) break;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow <= deadline);

        var fresh = now.Except(linkedBefore).ToList();
        if (hipLinkedContext.Length > 0 ? !now.Contains(hipLinkedContext) : fresh.Count == 0)
            throw new StoryException($"no new care context of {hipId} is linked to {address} within {target.Wait.TotalSeconds:0} s "
                                     + $"(the patient's links at {hipId}: {string.Join(", ", now)}); {await kit.DeliveryNoteAsync("/v0.5/links/link/on-add-contexts")}");
        return $"{string.Join(", ", hipLinkedContext.Length > 0 ? [hipLinkedContext] : fresh)} linked to {address} at {hipId}, seen by the patient{schemaNote}";
    }

    /// <summary>
    /// ABDM HIP_INTI_LINK_401, step 4 ("if the request is rejected process ends there"): the patient denies; the HIP's bridge
    /// accepts the DENIED notify and acknowledges it, and nothing new is linked.
    /// </summary>
    private async Task<string> DirectAuthDeniedAsync()
    {
        var before = await LinkedAtHipAsync();
        var (transactionId, _, _) = await HipAsksDirectAuthAsync();
        var decidedAt = DateTimeOffset.UtcNow;
        var decision = await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/auth-requests/{transactionId}/deny", token);
        var notification = decision.Str("notificationRequestId");
        var delivered = await kit.DeliveredAsync("/v0.5/users/auth/notify", decidedAt, "HIP");
        var acknowledged = "";
        if (bridge.Available)
        {
            await bridge.CheckAsync("/v0.5/users/auth/on-notify", "sent", b => PartnerMessages.AnswerTo(b) == notification, "acknowledging the denial");
            acknowledged = "; on-notify matches ABDM's schema";
        }

        var added = (await LinkedAtHipAsync()).Except(before).ToList();
        if (added.Count > 0) throw new StoryException($"the patient denied, yet {string.Join(", ", added)} got linked at {hipId}");
        return $"transaction {transactionId} denied; {delivered}{acknowledged}; nothing new linked";
    }

    /// <summary>The HIP starts Direct Auth for the patient (its desk, or its operator): the transaction and purpose she sees.</summary>
    private async Task<(string TransactionId, string Purpose, string Started)> HipAsksDirectAuthAsync()
    {
        var pendingBefore = (await AuthRequestsAsync()).Select(r => r.Str("transactionId")).ToHashSet(StringComparer.Ordinal);
        string started;
        if (target.DeskUrl is not null)
        {
            hipLinkJob = await StartAtDeskAsync(new { patient = address, authMode = "DIRECT" }, "DIRECT");
            started = $"started at the desk ({hipLinkJob})";
        }
        else
        {
            if (ask($"In the HIP, link a new visit of {address} to her ABHA: users/auth/init (purpose LINK, authMode DIRECT), then "
                    + "links/link/add-contexts with the access token users/auth/notify brings; press Enter once started: ") is null)
                throw new StoryException("no answer on the console");
            started = "started by the operator";
        }

        JsonElement? seen = null;
        var deadline = DateTime.UtcNow + target.Wait;
        while (seen is null && DateTime.UtcNow <= deadline)
        {
            seen = (await AuthRequestsAsync()).Cast<JsonElement?>()
                .FirstOrDefault(r => !pendingBefore.Contains(r!.Value.Str("transactionId")) && r.Value.StrOrNull("requesterId") == hipId);
            if (seen is null) await Task.Delay(250);
        }

        if (seen is null)
            throw new StoryException($"no Direct Auth request from {hipId} reached the patient within {target.Wait.TotalSeconds:0} s "
                                     + "(the HIP's users/auth/init was not sent, not DIRECT, or refused: the platform answers a malformed one with 400, another mode in on-init)");
        return (seen.Value.Str("transactionId"), seen.Value.StrOrNull("purpose") ?? "", started);
    }

    private string SchemaNote(string messages) => bridge.Available ? $"; the HIP's {messages} match ABDM's schema" : "";

    private async Task<List<JsonElement>> AuthRequestsAsync() =>
        (await http.CallAsync(HttpMethod.Get, "api/v1/patients/me/auth-requests", token)).GetProperty("authRequests").EnumerateArray().ToList();

    /// <summary>The care contexts linked to the patient at the HIP under test, as she sees them.</summary>
    private async Task<HashSet<string>> LinkedAtHipAsync()
    {
        var links = await http.CallAsync(HttpMethod.Get, "api/v1/patients/me/links", token);
        return links.GetProperty("hips").EnumerateArray().Where(h => h.StrOrNull("hipId") == hipId)
            .SelectMany(h => h.GetProperty("careContexts").EnumerateArray()).Select(c => c.Str("referenceNumber")).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>An ABDM v0.5 message from the kit's HIU to the platform.</summary>
    private Task AbdmAsync(string path, string requestId, JsonObject body) =>
        kit.AbdmAsync(path, requestId, body, kitHiu.Token, new Dictionary<string, string> { ["X-HIU-ID"] = kitHiu.Facility });

    /// <summary>The body of the platform's callback to the kit's HIU answering <paramref name="requestId"/>.</summary>
    private Task<JsonElement> KitReceivedAsync(string path, string requestId) => kit.AnswerAsync(KitBridge, path, requestId);

    private async Task<JsonElement> KitPushAsync(string pushPath) =>
        await kit.ReceivedAsync(KitBridge, pushPath, _ => true) ?? throw new StoryException($"the HIP pushed nothing to the kit's data-push URL within {target.Wait.TotalSeconds:0} s");

    private async Task<JsonElement> WaitAsync(string path, string bearer, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + target.Wait;
        while (true)
        {
            var last = await http.CallAsync(HttpMethod.Get, path, bearer);
            if (done(last) || DateTime.UtcNow > deadline) return last;
            await Task.Delay(250);
        }
    }

    private static readonly Lazy<JsonSchema> DataPushSchema = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ndhm.Cli.Conformance.abdm-data-push.schema.json")
                           ?? throw new InvalidOperationException("the ABDM schema is not embedded");
        return JsonSchema.FromText(new StreamReader(stream).ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    });

    /// <summary>Where a data push breaks ABDM's DataNotification schema (empty when it conforms).</summary>
    public static IReadOnlyList<string> SchemaProblems(JsonElement push)
    {
        var results = DataPushSchema.Value.Evaluate(push, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return [];
        return (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().ToList();
    }
}
