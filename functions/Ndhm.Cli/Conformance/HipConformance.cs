using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Ndhm.Cli.Story;
using Ndhm.Fidelius;

namespace Ndhm.Cli.Conformance;

/// <summary>Who the partner under test is, and how the kit learns the HIP's linking OTP.</summary>
/// <param name="OtpUrl">Where the HIP's text messages can be read (the sample partners' <c>GET /{hip}/sms</c>); null: ask on the console.</param>
public sealed record ConformanceTarget(string ClientId, string ClientSecret, StoryPatient Patient, string? OtpUrl, TimeSpan Wait);

/// <summary>
/// ABDM's M2 functional test cases for a HIP, run against the sandbox: the kit is the patient (enrols a sandbox KYC
/// identity, discovers, links with the HIP's own OTP, grants and revokes) and the counter-party HIU (registered by the
/// kit, its bridge the sandbox's recording bridge <c>/api/sandbox/bridges/hiu</c>, its data-push URL there too), and
/// checks what the partner's bridge did at each step: each case passes or fails with the reason (which callback did
/// not come, what the platform answered, how the platform's message to the bridge fared, which ABDM schema rule the
/// pushed data broke).
/// </summary>
public sealed class HipConformance(StoryClient http, ConformanceTarget target, Func<string, string?> ask)
{
    private const string Timestamp = KitPlatform.Timestamp;
    private const string KitBridge = "hiu";
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private readonly KitPlatform kit = new(http, target.Wait);
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

    public IReadOnlyList<StoryStep> Steps =>
    [
        new("PARTNER_SESSION", "The partner opens a session and is a registered HIP", _ => SessionAsync()),
        new("KIT_SETUP", "Kit: the patient enrols; the counter-party HIU is registered", _ => SetupAsync()),
        new("USER_INIT_LINK_604", "Fetch health records: the HIP answers discovery (on-discover)", _ => DiscoverAsync(), ["PARTNER_SESSION", "KIT_SETUP"]),
        new("USER_INIT_LINK_605", "Link with the HIP's OTP (on-init, on-confirm)", _ => LinkAsync(), ["USER_INIT_LINK_604"]),
        new("HIP_INIT_GRANT_CONSENT", "The HIP is notified of the granted consent and accepts it", _ => GrantAsync(), ["USER_INIT_LINK_605"]),
        new("HIP_INIT_SHARE_CARECONTEXT", "The HIP shares the care contexts encrypted (hip/on-request, push, notify)", _ => ShareAsync(), ["HIP_INIT_GRANT_CONSENT"]),
        new("HIP_INIT_REVOKE_CONSENT", "The HIP is notified of the revocation; no data flows after it", _ => RevokeAsync(), ["HIP_INIT_GRANT_CONSENT"]),
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
            throw new StoryException($"no on-discover from the HIP within {target.Wait.TotalSeconds:0} s; {await kit.DeliveryNoteAsync("/v0.5/care-contexts/discover")}");
        if (result.StrOrNull("status") != "FOUND")
            throw new StoryException($"discovery ended {result.StrOrNull("status")}: {StoryClient.Shorten(result.GetRawText())} (the HIP's on-discover error, or the platform's timeout)");
        var patient = result.GetProperty("patient");
        patientReference = patient.Str("referenceNumber");
        careContexts = patient.GetProperty("careContexts").EnumerateArray().Select(c => c.Str("referenceNumber")).ToList();
        if (careContexts.Count == 0) throw new StoryException("on-discover named the patient but no care contexts");
        return $"{patientReference}: {string.Join(", ", careContexts)}";
    }

    private async Task<string> LinkAsync()
    {
        var linkRequest = (await http.CallAsync(HttpMethod.Post, "api/v1/patients/me/links", token,
            new { transactionId = discovery, careContexts }, HttpStatusCode.Accepted)).Str("linkRequestId");
        var awaiting = await WaitAsync($"api/v1/patients/me/link-requests/{linkRequest}", token, r => r.StrOrNull("status") != "REQUESTED");
        if (awaiting.StrOrNull("status") == "REQUESTED")
            throw new StoryException($"no valid on-init from the HIP within {target.Wait.TotalSeconds:0} s (a malformed one is refused by the platform and never counts); "
                                     + await kit.DeliveryNoteAsync("/v0.5/links/link/init"));
        if (awaiting.StrOrNull("status") != "AWAITING_OTP") throw new StoryException($"link init ended {StoryClient.Shorten(awaiting.GetRawText())}");
        var linkRef = awaiting.Str("linkRefNumber");
        var otp = await OtpAsync(linkRef, awaiting.StrOrNull("communicationHint"));
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/links/{linkRef}/confirm", token, new { otp }, HttpStatusCode.Accepted);
        var linked = await WaitAsync($"api/v1/patients/me/link-requests/{linkRequest}", token, r => r.StrOrNull("status") is "LINKED" or "FAILED");
        if (linked.StrOrNull("status") != "LINKED")
            throw new StoryException($"no LINKED after the OTP: {StoryClient.Shorten(linked.GetRawText())}; {await kit.DeliveryNoteAsync("/v0.5/links/link/confirm")}");
        return $"OTP to {awaiting.StrOrNull("communicationHint")}; {careContexts.Count} care context(s) linked";
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
                    ["dataEraseAt"] = DateTime.UtcNow.AddDays(1).ToString(Timestamp, CultureInfo.InvariantCulture),
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
        artefactId = granted.GetProperty("artefacts")[0].Str("id");
        var delivery = await kit.DeliveredAsync("/v0.5/consents/hip/notify", grantedAt, "HIP");
        return $"artefact {artefactId}; {delivery}";
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
        return $"pushed, schema-valid, decrypted: {string.Join(", ", shared)}";
    }

    private async Task<string> RevokeAsync()
    {
        var revokedAt = DateTimeOffset.UtcNow;
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consents/{artefactId}/revoke", token);
        var delivery = await kit.DeliveredAsync("/v0.5/consents/hip/notify", revokedAt, "HIP");
        var requestId = Guid.NewGuid().ToString();
        var keys = FideliusKeyMaterial.Generate(TimeProvider.System, TimeSpan.FromHours(2));
        await AbdmAsync("/v0.5/health-information/cm/request", requestId, new JsonObject
        {
            ["hiRequest"] = new JsonObject
            {
                ["consent"] = new JsonObject { ["id"] = artefactId },
                ["dateRange"] = new JsonObject { ["from"] = consentFrom, ["to"] = consentTo },
                ["dataPushUrl"] = kit.BridgeUrl(KitBridge, $"/kit-push/{requestId}"),
                ["keyMaterial"] = JsonSerializer.SerializeToNode(keys.ToAbdm(), StoryJson.Options),
            },
        });
        var onRequest = await KitReceivedAsync("/v0.5/health-information/hiu/on-request", requestId);
        if (!onRequest.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            throw new StoryException($"a data request under the revoked artefact was accepted: {StoryClient.Shorten(onRequest.GetRawText())}");
        return $"{delivery}; a later data request is refused ({error.StrOrNull("code")})";
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
