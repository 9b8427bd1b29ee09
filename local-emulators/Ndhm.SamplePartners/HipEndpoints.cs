using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ndhm.DataTransfer.Partners.Hip;

namespace Ndhm.SamplePartners;

/// <summary>
/// A sample HIP (the hospital, the lab): its patient records and what it does with each message the platform sends
/// its bridge. Every handler runs after the bridge has answered 202 (as ABDM bridges do) and replies to the platform
/// with its own <c>on-...</c> call, as the HIP's software would.
///
/// To add a message: add its path to <see cref="Handlers"/> with a method here that reads the body and calls
/// <see cref="SamplePartner.SendAsync"/>. Data requests (<c>hip/request</c>) use the HIP-side library.
/// </summary>
public sealed class SampleHip
{
    /// <summary>A HIP's own OTP for linking lives this long (ABDM: 10 minutes), and this many wrong tries end it.</summary>
    public static readonly TimeSpan OtpLifetime = TimeSpan.FromMinutes(10);
    public const int OtpAttempts = 3;

    private readonly ConcurrentDictionary<string, DemoPatient> patients;
    private readonly ConcurrentDictionary<string, string> discoveries = new();           // transactionId -> patient reference
    private readonly ConcurrentDictionary<string, PendingLink> pendingLinks = new();     // linkRefNumber -> link
    private readonly ConcurrentDictionary<string, string> linkedAddresses = new();        // ABHA address -> patient reference
    private readonly ConcurrentDictionary<string, JsonElement> consents = new();          // artefact id -> last notification
    private readonly ConcurrentDictionary<string, string> patientStatuses = new();       // ABHA address -> last status told
    private readonly ConcurrentDictionary<string, int> counters = new();                 // counter id -> last token number
    private readonly ConcurrentQueue<JsonObject> queue = new();                           // patients who shared their profile
    private readonly Inbox inbox;

    public SampleHip(SamplePartner partner, IEnumerable<DemoPatient> records, Inbox inbox)
    {
        Partner = partner;
        Entries = new InMemoryEncryptedEntryStore(new Uri(partner.BridgeUrl.TrimEnd('/') + "/entries/"), TimeProvider.System);
        this.inbox = inbox;
        patients = new(records.ToDictionary(p => p.ReferenceNumber));
        Handlers = new Dictionary<string, Func<JsonElement, CancellationToken, Task>>(StringComparer.Ordinal)
        {
            ["/v0.5/care-contexts/discover"] = DiscoverAsync,
            ["/v0.5/links/link/init"] = LinkInitAsync,
            ["/v0.5/links/link/confirm"] = LinkConfirmAsync,
            ["/v0.5/consents/hip/notify"] = ConsentNotifyAsync,
            ["/v0.5/patients/status/notify"] = PatientStatusNotifyAsync,
            ["/v0.5/patients/profile/share"] = ProfileShareAsync,
            ["/v0.5/health-information/hip/request"] = HealthInformationRequestAsync,
            ["/v1/links/unlinked"] = Recorded,
            // Answers to the HIP's own requests: recorded in the inbox, nothing to reply.
            ["/v0.5/users/auth/on-fetch-modes"] = Recorded,
            ["/v0.5/users/auth/on-init"] = Recorded,
            ["/v0.5/users/auth/on-confirm"] = Recorded,
            ["/v0.5/links/context/on-notify"] = Recorded,
            ["/v0.5/consents/on-fetch"] = Recorded,
            ["/v3/hip/token/on-generate-token"] = Recorded,
            ["/v0.5/patients/sms/on-notify"] = Recorded,
        };
        Auth = new PatientAuthDesk(partner);
        foreach (var (path, handler) in Auth.Handlers) ((Dictionary<string, Func<JsonElement, CancellationToken, Task>>)Handlers)[path] = handler;
        CareContextLinks = new HipCareContextLinks(this);
        ((Dictionary<string, Func<JsonElement, CancellationToken, Task>>)Handlers)["/v0.5/links/link/on-add-contexts"] = CareContextLinks.OnAddContextsAsync;
    }

    /// <summary>HIP-initiated linking of a new visit at the desk (users/auth DIRECT for LINK, then add-contexts).</summary>
    public HipCareContextLinks CareContextLinks { get; }

    /// <summary>Patient authentication at the HIP's desk (users/auth/init, DIRECT notifications).</summary>
    public PatientAuthDesk Auth { get; }

    public SamplePartner Partner { get; }

    /// <summary>
    /// Encrypted entries it sent as links (ABDM <c>EntryLink</c>), served at <c>GET /{hip}/entries/{token}</c> until the
    /// transfer ends: a 256-bit random token is the only key (a capability URL), and only ciphertext is behind it.
    /// </summary>
    public InMemoryEncryptedEntryStore Entries { get; }

    public IReadOnlyDictionary<string, Func<JsonElement, CancellationToken, Task>> Handlers { get; }

    public IEnumerable<DemoPatient> Patients => patients.Values.OrderBy(p => p.ReferenceNumber, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> LinkedAddresses => linkedAddresses;

    public IReadOnlyDictionary<string, JsonElement> Consents => consents;

    /// <summary>What the platform last told of each ABHA address's status (DEACTIVATED, REACTIVATED, DELETED).</summary>
    public IReadOnlyDictionary<string, string> PatientStatuses => patientStatuses;

    /// <summary>Patients who scanned a counter's QR, with the token number they were given, in order.</summary>
    public IEnumerable<JsonObject> Queue => queue;

    /// <summary>A patient registered at the HIP's counter (the sandbox's demo data, or one a test adds).</summary>
    public DemoPatient AddPatient(DemoPatient patient) => patients.AddOrUpdate(patient.ReferenceNumber, patient, (_, _) => patient);

    /// <summary>A visit or report recorded for a registered patient (replacing one with the same reference); null for an unknown patient.</summary>
    public DemoPatient? AddCareContext(string patientReference, DemoCareContext careContext)
    {
        while (patients.TryGetValue(patientReference, out var patient))
        {
            var updated = patient with
            {
                CareContexts = [.. patient.CareContexts.Where(c => c.ReferenceNumber != careContext.ReferenceNumber), careContext],
            };
            if (patients.TryUpdate(patientReference, updated, patient)) return updated;
        }

        return null;
    }

    private static Task Recorded(JsonElement body, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// ABDM discovery: match the platform's verified identifiers (the mobile) and demographics (gender, year of
    /// birth) against the HIP's records; one match answers with the patient's care contexts, none or several with an error.
    /// </summary>
    private async Task DiscoverAsync(JsonElement body, CancellationToken ct)
    {
        if (Partner.BrokenBridge == "omit-on-discover") return;   // deliberately broken: never answers

        var patient = body.GetProperty("patient");
        var mobiles = Identifiers(patient, "verifiedIdentifiers", "MOBILE").Select(LastTenDigits).ToHashSet();
        var gender = patient.TryGetProperty("gender", out var g) ? g.GetString() : null;
        int? year = patient.TryGetProperty("yearOfBirth", out var y) && y.ValueKind == JsonValueKind.Number ? y.GetInt32() : null;
        var name = Fold(patient.TryGetProperty("name", out var n) ? n.GetString() : null);
        var abhaAddress = patient.GetProperty("id").GetString()!;

        var candidates = Patients.Where(p => p.Gender == gender && (year is null || p.YearOfBirth == year)).ToList();
        var matches = candidates.Where(p => mobiles.Contains(LastTenDigits(p.Mobile))).ToList();
        string? matchedBy = "MOBILE";
        if (matches.Count == 0)
        {
            matches = candidates.Where(p => linkedAddresses.TryGetValue(abhaAddress, out var reference) && reference == p.ReferenceNumber).ToList();
            matchedBy = "HEALTH_ID";
        }

        if (matches.Count == 0 && name.Length > 0)
        {
            matches = candidates.Where(p => Fold(p.Name) == name).ToList();
            matchedBy = null;   // ABDM's IdentifierType has no name: a demographic match leaves matchedBy out
        }

        var transactionId = body.GetProperty("transactionId").GetString()!;
        var answer = new JsonObject { ["transactionId"] = transactionId };
        if (matches.Count == 1)
        {
            var found = matches[0];
            discoveries[transactionId] = found.ReferenceNumber;
            answer["patient"] = new JsonObject
            {
                ["referenceNumber"] = found.ReferenceNumber,
                ["display"] = found.Display,
                ["careContexts"] = new JsonArray(found.CareContexts.Select(c => (JsonNode)new JsonObject
                {
                    ["referenceNumber"] = c.ReferenceNumber,
                    ["display"] = c.Display,
                    ["hiTypes"] = new JsonArray(c.HiTypes.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
                }).ToArray()),
            };
            if (matchedBy is not null) ((JsonObject)answer["patient"]!)["matchedBy"] = new JsonArray(JsonValue.Create(matchedBy));
        }
        else
        {
            answer["error"] = matches.Count == 0
                ? Error("ABDM-1068", "No patient at this HIP matches the verified mobile, gender and year of birth.")
                : Error("ABDM-1017", "More than one patient at this HIP matches; please register at the counter.");
        }

        answer["resp"] = Resp(body);
        await Partner.SendAsync("/v0.5/care-contexts/on-discover", answer, ct);
    }

    /// <summary>ABDM link init: the care contexts must be this discovery's patient's; the HIP sends its own OTP to the mobile it has on file.</summary>
    private async Task LinkInitAsync(JsonElement body, CancellationToken ct)
    {
        var transactionId = body.GetProperty("transactionId").GetString()!;
        var patient = body.GetProperty("patient");
        var reference = patient.GetProperty("referenceNumber").GetString()!;
        var wanted = patient.GetProperty("careContexts").EnumerateArray().Select(c => c.GetProperty("referenceNumber").GetString()!).ToList();
        var answer = new JsonObject { ["transactionId"] = transactionId };
        if (!discoveries.TryGetValue(transactionId, out var discovered) || discovered != reference || !patients.TryGetValue(reference, out var record))
        {
            answer["error"] = Error("ABDM-1068", "This HIP did not find that patient in that discovery.");
        }
        else if (wanted.Count == 0 || wanted.Any(w => record.CareContexts.All(c => c.ReferenceNumber != w)))
        {
            answer["error"] = Error("ABDM-1017", "A care context is not this patient's at this HIP.");
        }
        else
        {
            var linkRef = Guid.NewGuid().ToString();
            var otp = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            var expiresAt = DateTimeOffset.UtcNow + OtpLifetime;
            pendingLinks[linkRef] = new PendingLink(reference, patient.GetProperty("id").GetString()!, wanted, otp, expiresAt);
            inbox.RecordSms(new OtpMessage(Partner.Name, record.Mobile, linkRef, otp,
                $"{otp} is your OTP to link your records at {Partner.DisplayName} to your ABHA. It is valid for 10 minutes.", DateTimeOffset.UtcNow));
            answer["link"] = new JsonObject
            {
                ["referenceNumber"] = linkRef,
                ["authenticationType"] = "DIRECT",
                ["meta"] = new JsonObject
                {
                    ["communicationMedium"] = "MOBILE",
                    ["communicationHint"] = "******" + record.Mobile[^4..],
                    ["communicationExpiry"] = expiresAt.UtcDateTime.ToString(PlatformClient.TimestampFormat, CultureInfo.InvariantCulture),
                },
            };
        }

        answer["resp"] = Resp(body);
        await Partner.SendAsync("/v0.5/links/link/on-init", answer, ct);
    }

    /// <summary>ABDM link confirm: the patient's OTP against the HIP's own; right links the care contexts, wrong keeps the link waiting (3 tries).</summary>
    private async Task LinkConfirmAsync(JsonElement body, CancellationToken ct)
    {
        var confirmation = body.GetProperty("confirmation");
        var linkRef = confirmation.GetProperty("linkRefNumber").GetString()!;
        var token = confirmation.GetProperty("token").GetString();
        var answer = new JsonObject();
        if (!pendingLinks.TryGetValue(linkRef, out var pending))
        {
            answer["error"] = Error("ABDM-1068", "Unknown link reference.");
        }
        else if (DateTimeOffset.UtcNow > pending.ExpiresAt || pending.Attempts >= OtpAttempts)
        {
            pendingLinks.TryRemove(linkRef, out _);
            answer["error"] = Error("ABDM-1042", "The OTP has expired; start linking again.");
        }
        else if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(token ?? ""), System.Text.Encoding.ASCII.GetBytes(pending.Otp)))
        {
            pendingLinks[linkRef] = pending with { Attempts = pending.Attempts + 1 };
            answer["error"] = Error("ABDM-1041", "The OTP is wrong.");
        }
        else
        {
            pendingLinks.TryRemove(linkRef, out _);
            var record = patients[pending.PatientReference];
            linkedAddresses[pending.AbhaAddress] = record.ReferenceNumber;
            answer["patient"] = new JsonObject
            {
                ["referenceNumber"] = record.ReferenceNumber,
                ["display"] = record.Display,
                ["careContexts"] = new JsonArray(record.CareContexts.Where(c => pending.CareContexts.Contains(c.ReferenceNumber))
                    .Select(c => (JsonNode)new JsonObject { ["referenceNumber"] = c.ReferenceNumber, ["display"] = c.Display }).ToArray()),
            };
        }

        answer["resp"] = Resp(body);
        await Partner.SendAsync("/v0.5/links/link/on-confirm", answer, ct);
    }

    /// <summary>ABDM consent notification: keep the artefact (or its new status) and acknowledge it.</summary>
    private async Task ConsentNotifyAsync(JsonElement body, CancellationToken ct)
    {
        var notification = body.GetProperty("notification");
        var consentId = notification.GetProperty("consentId").GetString()!;
        consents[consentId] = notification.Clone();
        await Partner.SendAsync("/v0.5/consents/hip/on-notify", new JsonObject
        {
            ["acknowledgement"] = new JsonObject { ["status"] = "OK", ["consentId"] = consentId },
            ["resp"] = Resp(body),
        }, ct);
    }

    /// <summary>
    /// A patient's ABHA was deactivated, reactivated or deleted: the HIP notes it against the address (a real HIP would
    /// stop or resume serving it) and acknowledges with <c>patients/status/on-notify</c> (ABDM spells it <c>acknowledgment</c>).
    /// </summary>
    private async Task PatientStatusNotifyAsync(JsonElement body, CancellationToken ct)
    {
        var notification = body.GetProperty("notification");
        var address = notification.GetProperty("patient").GetProperty("id").GetString()!;
        patientStatuses[address] = notification.GetProperty("status").GetString()!;
        await Partner.SendAsync("/v0.5/patients/status/on-notify", new JsonObject
        {
            ["acknowledgment"] = new JsonObject { ["status"] = "OK" },
            ["resp"] = Resp(body),
        }, ct);
    }

    /// <summary>
    /// Scan and share: a patient scanned one of this HIP's counter QRs; the counter gives the next token number
    /// (<c>&lt;counter&gt;-&lt;n&gt;</c>) and the HIP answers <c>on-share</c> with it, which the patient sees.
    /// </summary>
    private async Task ProfileShareAsync(JsonElement body, CancellationToken ct)
    {
        var profile = body.GetProperty("profile");
        var counter = profile.TryGetProperty("hipCode", out var code) ? code.GetString() ?? "OPD" : "OPD";
        var patient = profile.GetProperty("patient");
        var healthId = patient.GetProperty("healthId").GetString();
        var token = $"{counter}-{counters.AddOrUpdate(counter, 1, (_, n) => n + 1):D3}";
        queue.Enqueue(new JsonObject
        {
            ["tokenNumber"] = token,
            ["counterId"] = counter,
            ["healthId"] = healthId,
            ["name"] = patient.TryGetProperty("name", out var name) ? name.GetString() : null,
            ["at"] = PlatformClient.Now(),
        });
        await Partner.SendAsync("/v0.5/patients/profile/on-share", new JsonObject
        {
            ["acknowledgement"] = new JsonObject { ["status"] = "SUCCESS", ["healthId"] = healthId, ["tokenNumber"] = token },
            ["resp"] = Resp(body),
        }, ct);
    }

    /// <summary>
    /// ABDM data request (issue #13), with the platform's HIP-side library (<c>Ndhm.DataTransfer.Partners</c>, what a
    /// partner takes as a package): acknowledge, build one ABDM document per care context of the granted artefact,
    /// encrypt each with fresh key material, push them to the HIU's dataPushUrl, then report each care context.
    /// </summary>
    private async Task HealthInformationRequestAsync(JsonElement body, CancellationToken ct)
    {
        var request = HipTransferRequest.Parse(body);
        var granted = consents.TryGetValue(request.ConsentId, out var notification)
                      && notification.GetProperty("status").GetString() == "GRANTED" && notification.TryGetProperty("consentDetail", out _);
        var ack = new JsonObject
        {
            ["hiRequest"] = new JsonObject { ["transactionId"] = request.TransactionId, ["sessionStatus"] = "ACKNOWLEDGED" },
            ["resp"] = Resp(body),
        };
        if (!granted) ack["error"] = Error("ABDM-1062", "This HIP holds no granted consent artefact with that id.");
        await Partner.SendAsync("/v0.5/health-information/hip/on-request", ack, ct);
        if (!granted) return;
        var detail = notification.GetProperty("consentDetail");
        var address = detail.GetProperty("patient").GetProperty("id").GetString()!;
        var records = detail.GetProperty("careContexts").EnumerateArray()
            .Select(c => new HipHealthRecord(c.GetProperty("careContextReference").GetString()!,
                SampleRecords.Prescription(address, Partner.FacilityId, DateTimeOffset.UtcNow)))
            .ToList();
        var options = Partner.LinkAboveBytes is { } linkAbove ? new HipDataSenderOptions { LinkAboveBytes = linkAbove } : new HipDataSenderOptions();
        var sender = new HipDataSender(Partner.BrokenBridge == "malformed-push" ? MalformedPushClient : PushClient, TimeProvider.System, options, Entries);
        var result = await sender.SendAsync(request, records, ct);
        var report = (JsonObject)JsonSerializer.SerializeToNode(sender.Notification(request, Partner.FacilityId, result), SampleJson.Options)!;
        await Partner.SendAsync("/v0.5/health-information/notify", report, ct);
    }

    private static readonly HttpClient PushClient = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Deliberately broken (<c>--broken-bridge malformed-push</c>): each pushed entry loses its checksum.</summary>
    private static readonly HttpClient MalformedPushClient = new(new ChecksumDroppingHandler { InnerHandler = new HttpClientHandler() }) { Timeout = TimeSpan.FromSeconds(60) };

    private sealed class ChecksumDroppingHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null && JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) is JsonObject page
                && page["entries"] is JsonArray entries)
            {
                foreach (var entry in entries.OfType<JsonObject>()) entry.Remove("checksum");
                request.Content = new StringContent(page.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    internal static JsonObject Resp(JsonElement body) => new() { ["requestId"] = body.GetProperty("requestId").GetString() };

    /// <summary>The requestId a platform answer names in <c>resp</c>; "" when it names none.</summary>
    internal static string AnswerTo(JsonElement body) =>
        body.TryGetProperty("resp", out var resp) && resp.ValueKind == JsonValueKind.Object ? resp.GetProperty("requestId").GetString() ?? "" : "";

    internal static JsonObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message };

    private static IEnumerable<string> Identifiers(JsonElement patient, string list, string type) =>
        patient.TryGetProperty(list, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().Where(i => i.GetProperty("type").GetString() == type).Select(i => i.GetProperty("value").GetString() ?? "")
            : [];

    private static string LastTenDigits(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        return digits.Length > 10 ? digits[^10..] : digits;
    }

    private static string Fold(string? name) =>
        string.Join(' ', (name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    private sealed record PendingLink(string PatientReference, string AbhaAddress, IReadOnlyList<string> CareContexts, string Otp, DateTimeOffset ExpiresAt,
        int Attempts = 0);
}
