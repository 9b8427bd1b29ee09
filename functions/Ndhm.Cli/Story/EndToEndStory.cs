using System.Globalization;
using System.Net;
using System.Text.Json;
using Ndhm.Audit;
using Ndhm.Core.Json;
using Ndhm.Core.Security.Tokens;

namespace Ndhm.Cli.Story;

/// <summary>Who the story's patient is: a sandbox KYC identity (functions/Ndhm.HealthId/README.md, "Simulated KYC provider").</summary>
public sealed record StoryPatient(string Aadhaar, string Mobile)
{
    /// <summary>Kiran (9999 0000 0059, mobile 9000000005): no sample HIP knows her until the story registers her, so its visit and report are the only ones found.</summary>
    public static StoryPatient Default { get; } = new("999900000059", "9000000005");
}

/// <summary>
/// A patient the story enrolled: her session token, ABHA address, and name, gender, year of birth and date of birth
/// (as the ABHA profile writes it: <c>dd-MM-yyyy</c>, <c>MM-yyyy</c> or <c>yyyy</c>) from KYC.
/// </summary>
public sealed record EnrolledPatient(string Token, string Address, string Name, string Gender, int YearOfBirth, string DateOfBirth);

/// <summary>
/// The whole national flow against a running sandbox and its sample partners, over HTTP only: the patient enrols,
/// the hospital and the lab record a visit and a report, she discovers and links them, the clinic asks for consent,
/// she grants it, the HIPs push the records encrypted and the clinic reads them, she books and holds a teleconsultation
/// whose doctor prescribes, a pharmacy quotes and delivers it, she revokes the consent and the clinic can no longer
/// fetch, and her audit trail is shown and verified offline. Each step is a <see cref="StoryStep"/>; later steps use
/// what earlier ones learnt (kept in this instance).
/// </summary>
public sealed class EndToEndStory(StoryClient http, StoryPatient who)
{
    private const string Timestamp = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private static readonly string[] Hips = ["hospital", "lab"];

    private readonly Dictionary<string, JsonElement> partners = new(StringComparer.Ordinal);   // name -> /partners entry
    private readonly Dictionary<string, string> patientReference = new(StringComparer.Ordinal);  // hip -> MRN
    private readonly Dictionary<string, string> newCareContext = new(StringComparer.Ordinal);    // hip -> the visit/report recorded now
    private readonly Dictionary<string, string> consentRequest = new(StringComparer.Ordinal);    // hip -> clinic's requestId
    private readonly Dictionary<string, string> artefact = new(StringComparer.Ordinal);          // hip -> consent artefact id
    private readonly string run = DateTime.UtcNow.ToString("MMddHHmmss", CultureInfo.InvariantCulture);
    private string admin = "";
    private string token = "";
    private string abhaNumber = "";
    private string address = "";
    private string name = "";
    private string gender = "";
    private int yearOfBirth;
    private string dateOfBirth = "";
    private string doctorHprId = "";
    private string doctorToken = "";
    private string appointmentId = "";
    private string prescriptionId = "";
    private string consentFrom = "";
    private string consentTo = "";

    public IReadOnlyList<StoryStep> Steps =>
    [
        new("ready", "Sandbox and sample partners are up", _ => ReadyAsync()),
        new("enrol", "Enrol a patient (Aadhaar OTP) and create her ABHA address", _ => EnrolAsync()),
        new("register", "Hospital and lab registered as HIPs, clinic as HIU", _ => RegisteredAsync()),
        new("records", "Hospital records a visit, lab records a report", _ => RecordAsync()),
        new("link-hospital", "Discover and link the visit at the hospital", _ => DiscoverAndLinkAsync("hospital")),
        new("link-lab", "Discover and link the report at the lab", _ => DiscoverAndLinkAsync("lab")),
        new("consent-request", "Clinic requests consent for both", _ => RequestConsentAsync()),
        new("consent-grant", "Patient grants; HIPs and clinic acknowledge", _ => GrantAsync()),
        new("transfer", "HIPs push the records encrypted (Fidelius)", _ => TransferAsync()),
        new("read", "Clinic decrypts, validates and reads them", _ => ReadAsync()),
        new("teleconsult-book", "Book a teleconsultation with a verified doctor", _ => BookAsync()),
        new("teleconsult-hold", "Hold it: doctor starts, patient joins", _ => HoldAsync()),
        new("prescribe", "Doctor issues a signed e-prescription in it", _ => PrescribeAsync()),
        new("pharmacy", "Pharmacy quotes, patient orders, pharmacy delivers", _ => FulfilAsync()),
        new("revoke", "Patient revokes; the clinic can no longer fetch", _ => RevokeAsync()),
        new("audit", "Patient's audit trail shown and verified offline", _ => AuditAsync()),
    ];

    private async Task<string> ReadyAsync()
    {
        await http.CallAsync(HttpMethod.Get, "api/health");
        var health = await StoryClient.UntilAsync("sample partners ready", () => http.PartnerAsync(HttpMethod.Get, "health"),
            h => h.StrOrNull("status") == "ready", TimeSpan.FromSeconds(120));
        admin = (await http.CallAsync(HttpMethod.Post, "api/sandbox/tokens", null, new { subject = "demo-operator", roles = new[] { "PLATFORM_ADMIN" } }))
            .Str("accessToken");
        foreach (var p in (await http.PartnerAsync(HttpMethod.Get, "partners")).GetProperty("partners").EnumerateArray())
            partners[p.Str("name")] = p;
        return $"platform {http.Platform.BaseAddress}, partners {health.StrOrNull("platform")}";
    }

    /// <summary>The enrolment alone (the conformance kit's patient): her token, new ABHA address and demographics as KYC gave them.</summary>
    public async Task<EnrolledPatient> EnrolPatientAsync()
    {
        await EnrolAsync();
        return new EnrolledPatient(token, address, name, gender, yearOfBirth, dateOfBirth);
    }

    private async Task<string> EnrolAsync()
    {
        var txnId = (await http.CallAsync(HttpMethod.Post, "api/v3/enrollment/request/otp", null,
            new { scope = new[] { "abha-enrol" }, loginHint = "aadhaar", loginId = who.Aadhaar })).Str("txnId");
        var otp = await OtpAsync(txnId);
        var enrolled = await http.CallAsync(HttpMethod.Post, "api/v3/enrollment/enrol/byAadhaar", null, new
        {
            authData = new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp } },
            consent = new { code = "abha-enrollment", version = "1.4" },
        });
        token = enrolled.GetProperty("tokens").Str("token");
        var profile = enrolled.GetProperty("ABHAProfile");
        abhaNumber = profile.Str("ABHANumber").Replace("-", "", StringComparison.Ordinal);
        name = string.Join(' ', new[] { profile.StrOrNull("firstName"), profile.StrOrNull("middleName"), profile.StrOrNull("lastName") }.Where(s => !string.IsNullOrWhiteSpace(s)));
        gender = profile.Str("gender");
        dateOfBirth = profile.Str("dob");
        yearOfBirth = int.Parse(dateOfBirth[^4..], CultureInfo.InvariantCulture);
        var handle = "demo" + run + Guid.NewGuid().ToString("N")[..4];
        await http.CallAsync(HttpMethod.Post, "api/v3/enrollment/enrol/abha-address", token, new { abhaAddress = handle });
        address = handle + "@sbx";
        var isNew = enrolled.TryGetProperty("isNew", out var n) && n.ValueKind == JsonValueKind.True;
        return $"{name}, ABHA {profile.Str("ABHANumber")} ({(isNew ? "new" : "existing account")}), address {address}";
    }

    private async Task<string> OtpAsync(string txnId)
    {
        var outbox = await StoryClient.UntilAsync("the OTP in the sandbox outbox",
            () => http.CallAsync(HttpMethod.Get, $"api/sandbox/otp-outbox?mobile={who.Mobile}"),
            o => o.GetProperty("messages").EnumerateArray().Any(m => m.StrOrNull("txnId") == txnId), TimeSpan.FromSeconds(20));
        return outbox.GetProperty("messages").EnumerateArray().First(m => m.StrOrNull("txnId") == txnId).Str("otp");
    }

    private async Task<string> RegisteredAsync()
    {
        var lines = new List<string>();
        foreach (var (partner, role) in new[] { ("hospital", "HIP"), ("lab", "HIP"), ("clinic", "HIU") })
        {
            var clientId = Partner(partner).Str("clientId");
            var record = await http.CallAsync(HttpMethod.Get, $"api/v1/partners/{Uri.EscapeDataString(clientId)}", admin);
            var roles = record.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
            if (!roles.Contains(role)) throw new StoryException($"{clientId} is registered without {role}: {record.GetRawText()}");
            var facility = Partner(partner).Str("facilityId");
            var registry = await http.CallAsync(HttpMethod.Get, $"api/v1/facilities/{facility}", admin);
            lines.Add($"{clientId} {role} {facility} ({registry.StrOrNull("verificationStatus") ?? registry.StrOrNull("status") ?? "registered"})");
        }

        return string.Join("; ", lines);
    }

    private async Task<string> RecordAsync()
    {
        var lines = new List<string>();
        foreach (var hip in Hips)
        {
            // Registered at the HIP's counter once (its own MRN); every run records a new visit or report.
            var reference = (hip == "hospital" ? "HOSP-DEMO-" : "LAB-DEMO-") + abhaNumber[^4..];
            var known = (await http.PartnerAsync(HttpMethod.Get, $"{hip}/patients")).GetProperty("patients").EnumerateArray()
                .Any(p => p.StrOrNull("referenceNumber") == reference);
            if (!known)
            {
                await http.PartnerAsync(HttpMethod.Post, $"{hip}/patients", new
                {
                    referenceNumber = reference, name, gender, yearOfBirth, mobile = who.Mobile, careContexts = Array.Empty<object>(),
                });
            }

            var careContext = hip == "hospital"
                ? new { referenceNumber = "OP-DEMO-" + run, display = $"OPD consultation, General Medicine, {DateTime.UtcNow:d MMM yyyy}", hiTypes = new[] { "OPConsultation", "Prescription" } }
                : new { referenceNumber = "LAB-DEMO-" + run, display = $"Complete blood count, {DateTime.UtcNow:d MMM yyyy}", hiTypes = new[] { "DiagnosticReport" } };
            await http.PartnerAsync(HttpMethod.Post, $"{hip}/patients/{reference}/care-contexts", careContext);
            patientReference[hip] = reference;
            newCareContext[hip] = careContext.referenceNumber;
            lines.Add($"{hip} {reference}: {careContext.referenceNumber}");
        }

        return string.Join("; ", lines);
    }

    private async Task<string> DiscoverAndLinkAsync(string hip)
    {
        var hipId = Partner(hip).Str("facilityId");
        var txn = (await http.CallAsync(HttpMethod.Post, "api/v1/patients/me/discover", token, new { hipId }, HttpStatusCode.Accepted)).Str("transactionId");
        var discovery = await StoryClient.UntilAsync($"discovery at the {hip}", () => http.CallAsync(HttpMethod.Get, $"api/v1/patients/me/discoveries/{txn}", token),
            d => d.StrOrNull("status") != "PENDING");
        if (discovery.StrOrNull("status") != "FOUND") throw new StoryException($"discovery at the {hip}: {discovery.GetRawText()}");
        var found = discovery.GetProperty("patient");
        var offered = found.GetProperty("careContexts").EnumerateArray().Select(c => c.Str("referenceNumber")).ToList();
        if (!offered.Contains(newCareContext[hip])) throw new StoryException($"the {hip} did not offer {newCareContext[hip]}: {found.GetRawText()}");

        var linkRequest = (await http.CallAsync(HttpMethod.Post, "api/v1/patients/me/links", token,
            new { transactionId = txn, careContexts = new[] { newCareContext[hip] } }, HttpStatusCode.Accepted)).Str("linkRequestId");
        var awaiting = await StoryClient.UntilAsync("the HIP's OTP", () => http.CallAsync(HttpMethod.Get, $"api/v1/patients/me/link-requests/{linkRequest}", token),
            r => r.StrOrNull("status") != "REQUESTED");
        if (awaiting.StrOrNull("status") != "AWAITING_OTP") throw new StoryException($"link init at the {hip}: {awaiting.GetRawText()}");
        var linkRef = awaiting.Str("linkRefNumber");
        var sms = await StoryClient.UntilAsync("the HIP's text message", () => http.PartnerAsync(HttpMethod.Get, $"{hip}/sms?mobile={who.Mobile}"),
            s => s.GetProperty("messages").EnumerateArray().Any(m => m.StrOrNull("linkRefNumber") == linkRef), TimeSpan.FromSeconds(20));
        var otp = sms.GetProperty("messages").EnumerateArray().First(m => m.StrOrNull("linkRefNumber") == linkRef).Str("otp");
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/links/{linkRef}/confirm", token, new { otp }, HttpStatusCode.Accepted);
        await StoryClient.UntilAsync($"linked at the {hip}", () => http.CallAsync(HttpMethod.Get, $"api/v1/patients/me/link-requests/{linkRequest}", token),
            r => r.StrOrNull("status") is "LINKED" or "FAILED");
        var links = await http.CallAsync(HttpMethod.Get, "api/v1/patients/me/links", token);
        var linked = links.GetProperty("hips").EnumerateArray().Where(h => h.StrOrNull("hipId") == hipId)
            .SelectMany(h => h.GetProperty("careContexts").EnumerateArray()).Select(c => c.Str("referenceNumber")).ToList();
        if (!linked.Contains(newCareContext[hip])) throw new StoryException($"{newCareContext[hip]} is not among her links at the {hip}: {links.GetRawText()}");
        return $"{found.Str("referenceNumber")} matched by {string.Join(',', found.GetProperty("matchedBy").EnumerateArray().Select(m => m.GetString()))}; "
               + $"OTP to {awaiting.StrOrNull("communicationHint")}; {linked.Count} care context(s) linked";
    }

    private async Task<string> RequestConsentAsync()
    {
        // Records from the start of last year up to now; the data requests later ask for exactly this range.
        consentFrom = new DateTime(DateTime.UtcNow.Year - 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).ToString(Timestamp, CultureInfo.InvariantCulture);
        consentTo = DateTime.UtcNow.ToString(Timestamp, CultureInfo.InvariantCulture);
        foreach (var hip in Hips)
        {
            consentRequest[hip] = (await http.PartnerAsync(HttpMethod.Post, "clinic/consent-requests", new
            {
                patient = address, hip, from = consentFrom, to = consentTo, careContexts = new[] { new { patientReference = patientReference[hip], careContextReference = newCareContext[hip] } },
            }, HttpStatusCode.Accepted)).Str("requestId");
        }

        var ids = new List<string>();
        foreach (var hip in Hips)
        {
            var requested = await StoryClient.UntilAsync("the platform's on-init at the clinic",
                () => http.PartnerAsync(HttpMethod.Get, $"clinic/consent-requests/{consentRequest[hip]}"), r => r.StrOrNull("status") != "SENT");
            if (requested.StrOrNull("status") != "REQUESTED") throw new StoryException($"consent request for the {hip}: {requested.GetRawText()}");
            ids.Add(requested.Str("consentRequestId"));
        }

        var pending = await http.CallAsync(HttpMethod.Get, "api/v1/patients/me/consent-requests?status=REQUESTED", token);
        var seen = pending.GetProperty("consentRequests").EnumerateArray().Count(r => ids.Contains(r.StrOrNull("id") ?? ""));
        if (seen != ids.Count) throw new StoryException($"the patient sees {seen} of the {ids.Count} requests: {pending.GetRawText()}");
        return $"requests {string.Join(", ", ids)} pending with the patient";
    }

    private async Task<string> GrantAsync()
    {
        foreach (var hip in Hips)
        {
            var consentRequestId = (await http.PartnerAsync(HttpMethod.Get, $"clinic/consent-requests/{consentRequest[hip]}")).Str("consentRequestId");
            var granted = await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", token, new
            {
                hips = new[]
                {
                    new
                    {
                        id = Partner(hip).Str("facilityId"),
                        careContexts = new[] { new { patientReference = patientReference[hip], careContextReference = newCareContext[hip] } },
                    },
                },
            });
            artefact[hip] = granted.GetProperty("artefacts")[0].Str("id");
        }

        foreach (var hip in Hips)
        {
            await StoryClient.UntilAsync("the clinic's fetched artefact", () => http.PartnerAsync(HttpMethod.Get, $"clinic/consent-requests/{consentRequest[hip]}"),
                r => r.StrOrNull("status") == "GRANTED" && r.GetProperty("artefacts").EnumerateArray().Any(a => a.StrOrNull("id") == artefact[hip] && a.GetProperty("fetched").GetBoolean()));
            await StoryClient.UntilAsync($"the {hip}'s copy of the artefact", () => http.PartnerAsync(HttpMethod.Get, $"{hip}/consents"),
                c => c.GetProperty("consents").TryGetProperty(artefact[hip], out var a) && a.StrOrNull("status") == "GRANTED");
        }

        return $"artefacts {string.Join(", ", Hips.Select(h => $"{h} {artefact[h]}"))}";
    }

    private async Task<string> TransferAsync()
    {
        foreach (var hip in Hips)
        {
            await http.PartnerAsync(HttpMethod.Post, "clinic/health-information-requests", new { consentId = artefact[hip], from = consentFrom, to = consentTo },
                HttpStatusCode.Accepted);
        }

        var notes = new List<string>();
        foreach (var hip in Hips)
        {
            var sent = await StoryClient.UntilAsync($"the {hip}'s transfer report", () => http.PartnerAsync(HttpMethod.Get, $"inbox?partner={hip}&path=/v0.5/health-information/notify&direction=sent"),
                i => i.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("body").GetRawText().Contains(artefact[hip], StringComparison.Ordinal)), TimeSpan.FromSeconds(90));
            var entry = sent.GetProperty("entries").EnumerateArray().First(e => e.GetProperty("body").GetRawText().Contains(artefact[hip], StringComparison.Ordinal));
            var body = entry.GetProperty("body");
            if (body.ValueKind == JsonValueKind.String) body = JsonDocument.Parse(body.GetString()!).RootElement;
            var statuses = body.GetProperty("notification").GetProperty("statusNotification").GetProperty("statusResponses").EnumerateArray()
                .Select(s => s.StrOrNull("hiStatus")).ToList();
            if (statuses.Any(s => s != "DELIVERED")) throw new StoryException($"the {hip} reports {body.GetRawText()}");
            notes.Add($"{hip}: {statuses.Count} care context(s) DELIVERED");
        }

        return string.Join("; ", notes);
    }

    private async Task<string> ReadAsync()
    {
        var held = await StoryClient.UntilAsync("the records at the clinic", () => http.PartnerAsync(HttpMethod.Get, "clinic/health-records"),
            r => Hips.All(h => r.GetProperty("records").EnumerateArray().Any(x => x.StrOrNull("consentArtefactId") == artefact[h])), TimeSpan.FromSeconds(120));
        var records = held.GetProperty("records").EnumerateArray().Where(x => Hips.Any(h => x.StrOrNull("consentArtefactId") == artefact[h])).ToList();
        return string.Join("; ", records.Select(x => $"{x.StrOrNull("careContextReference")} {x.StrOrNull("hiType")} {x.GetProperty("bundleBytes").GetInt32()} bytes"));
    }

    private async Task<string> BookAsync()
    {
        var facility = Partner("hospital").Str("facilityId");
        doctorHprId = (await http.CallAsync(HttpMethod.Post, "api/v1/professionals", admin, new
        {
            name = "Kavya Reddy", category = "doctor", council = "Telangana State Medical Council",
            registrationNumber = "TSMC/DEMO-" + run + Guid.NewGuid().ToString("N")[..4], qualifications = new[] { "MBBS" },
            specialties = new[] { "General Medicine" }, languages = new[] { "English", "Hindi" }, facilityIds = new[] { facility },
        }, HttpStatusCode.Created)).Str("hprId");
        await http.CallAsync(HttpMethod.Post, $"api/v1/professionals/{doctorHprId}/verify", admin);
        doctorToken = (await http.CallAsync(HttpMethod.Post, "api/sandbox/tokens", null,
            new { subject = doctorHprId, roles = new[] { "TELECONSULT", "HEALTH_WORKER" }, hprId = doctorHprId })).Str("accessToken");

        // A 5-minute slot starting in two minutes: inside the doctor's early-start window, so it can be held now.
        var now = DateTimeOffset.UtcNow;
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(2);
        var published = await http.CallAsync(HttpMethod.Post, "api/v1/telemedicine/slots", doctorToken, new
        {
            facilityId = facility, specialty = "General Medicine", languages = new[] { "English", "Hindi" }, modes = new[] { "video" },
            feeInr = 300m, durationMinutes = 5, from, until = from.AddMinutes(5),
        }, HttpStatusCode.Created);
        var slotId = published.GetProperty("slots")[0].Str("slotId");
        var quote = await http.CallAsync(HttpMethod.Post, "api/v1/telemedicine/select", token, new { slotId });
        appointmentId = (await http.CallAsync(HttpMethod.Post, "api/v1/telemedicine/init", token, new { slotId, mode = "video" }, HttpStatusCode.Created)).Str("appointmentId");
        var confirmed = await http.CallAsync(HttpMethod.Post, "api/v1/telemedicine/confirm", token,
            new { appointmentId, paymentReference = "upi-demo-" + run, teleconsultationConsent = true });
        return $"Dr. Kavya Reddy ({doctorHprId}), {from:HH:mm} UTC, INR {quote.GetProperty("priceInr").GetDecimal()}, appointment {appointmentId} {confirmed.StrOrNull("status")}";
    }

    private async Task<string> HoldAsync()
    {
        var started = await http.CallAsync(HttpMethod.Post, $"api/v1/telemedicine/consultations/{appointmentId}/start", doctorToken);
        var join = await http.CallAsync(HttpMethod.Post, $"api/v1/telemedicine/consultations/{appointmentId}/join-token", token);
        return $"{started.StrOrNull("status")}; patient joined (audience {join.StrOrNull("audience")})";
    }

    private async Task<string> PrescribeAsync()
    {
        var issued = await http.CallAsync(HttpMethod.Post, $"api/v1/consultations/{appointmentId}/prescriptions", doctorToken, new
        {
            conditionCode = "J02",
            items = new object[]
            {
                new { drugCode = "SAMPLE-AMOX-500-CAP", dosage = "1 capsule", frequencyPerDay = 3, durationDays = 5, quantity = 15, substitutionAllowed = true },
                new { drugCode = "SAMPLE-PCM-500-TAB", dosage = "1 tablet", frequencyPerDay = 3, durationDays = 3, quantity = 9, substitutionAllowed = true },
            },
        }, HttpStatusCode.Created);
        prescriptionId = issued.Str("id");
        var ended = await http.CallAsync(HttpMethod.Post, $"api/v1/telemedicine/consultations/{appointmentId}/end", doctorToken,
            new { chiefComplaint = "Sore throat and fever for three days", diagnosis = "Acute pharyngitis", conditionCode = "363746003", advice = "Warm saline gargles" });
        var signed = issued.GetProperty("document").TryGetProperty("signature", out _);
        return $"prescription {prescriptionId} ({issued.GetProperty("items").GetArrayLength()} items, {(signed ? "signed" : "UNSIGNED")}); consultation {ended.StrOrNull("status")}";
    }

    private async Task<string> FulfilAsync()
    {
        var pharmacyId = Partner("pharmacy").Str("facilityId");
        var share = (await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/prescriptions/{prescriptionId}/shares", token, new { pharmacyId })).Str("id");
        var quoted = await StoryClient.UntilAsync("the pharmacy's quote", () => http.CallAsync(HttpMethod.Get, $"api/v1/patients/me/prescription-shares/{share}", token),
            s => s.GetProperty("pharmacies").EnumerateArray().Any(p => p.TryGetProperty("quote", out var q) && q.ValueKind == JsonValueKind.Object));
        var total = quoted.GetProperty("pharmacies").EnumerateArray().First(p => p.TryGetProperty("quote", out var q) && q.ValueKind == JsonValueKind.Object)
            .GetProperty("quote").GetProperty("total").GetDecimal();
        var order = (await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/prescription-shares/{share}/orders", token, new { pharmacyId })).Str("id");
        var delivered = await StoryClient.UntilAsync("delivery", () => http.CallAsync(HttpMethod.Get, $"api/v1/patients/me/pharmacy-orders/{order}", token),
            o => o.StrOrNull("status") is "DELIVERED" or "REJECTED" or "CANCELLED", TimeSpan.FromSeconds(90));
        if (delivered.StrOrNull("status") != "DELIVERED") throw new StoryException($"order {order}: {delivered.GetRawText()}");
        var steps = string.Join(" > ", delivered.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("applied").GetBoolean()).Select(e => e.StrOrNull("status")));
        return $"quote INR {total}; order {order}: {steps}; {delivered.GetProperty("medicationDispenses").GetArrayLength()} MedicationDispense(s)";
    }

    private async Task<string> RevokeAsync()
    {
        await http.CallAsync(HttpMethod.Post, $"api/v1/patients/me/consents/{artefact["hospital"]}/revoke", token);
        await StoryClient.UntilAsync("the clinic told of the revocation", () => http.PartnerAsync(HttpMethod.Get, $"clinic/consent-requests/{consentRequest["hospital"]}"),
            r => r.StrOrNull("status") == "REVOKED");
        await StoryClient.UntilAsync("the hospital told of the revocation", () => http.PartnerAsync(HttpMethod.Get, "hospital/consents"),
            c => c.GetProperty("consents").GetProperty(artefact["hospital"]).StrOrNull("status") == "REVOKED");
        var asked = await http.PartnerAsync(HttpMethod.Post, "clinic/health-information-requests",
            new { consentId = artefact["hospital"], from = consentFrom, to = consentTo }, HttpStatusCode.Accepted);
        var outcome = await StoryClient.UntilAsync("the platform's answer to the clinic's new data request",
            () => http.PartnerAsync(HttpMethod.Get, $"clinic/health-information-requests/{asked.Str("requestId")}"), o => o.StrOrNull("status") != "PENDING");
        if (outcome.StrOrNull("status") != "REFUSED")
            throw new StoryException($"the clinic could still request data under the revoked artefact: {outcome.GetRawText()}");
        var left = (await http.PartnerAsync(HttpMethod.Get, "clinic/health-records")).GetProperty("records").EnumerateArray()
            .Count(x => x.StrOrNull("consentArtefactId") == artefact["hospital"]);
        if (left != 0) throw new StoryException($"the clinic still holds {left} record(s) under the revoked artefact");
        var error = outcome.GetProperty("error");
        return $"artefact {artefact["hospital"]} REVOKED at the clinic and the hospital; the clinic deleted its records; a new fetch is refused "
               + $"({error.StrOrNull("code")} {error.StrOrNull("message")})";
    }

    private async Task<string> AuditAsync()
    {
        var trail = await http.CallAsync(HttpMethod.Get, "api/v1/patients/me/audit-trail?pageSize=100", token);
        var entries = trail.GetProperty("entries").EnumerateArray().ToList();
        var actions = entries.Select(e => e.StrOrNull("action") ?? "?").Distinct().Take(8);
        await http.CallAsync(HttpMethod.Post, "api/v1/admin/audit/sign", admin);
        var chain = "patient:" + abhaNumber;
        var export = AuditExport.Parse((await http.CallAsync(HttpMethod.Get, $"api/v1/admin/audit/chains/{Uri.EscapeDataString(chain)}/export", admin)).GetRawText());
        var jwks = JsonSerializer.Deserialize<JsonWebKeySet>(await http.Platform.GetStringAsync("api/.well-known/jwks.json"), NdhmJson.Options)?.Keys
                   ?? throw new StoryException("the platform's JWKS is empty");
        var report = export.Verify(jwks);
        if (!report.Intact) throw new StoryException($"chain {chain} does not verify: {JsonSerializer.Serialize(report, NdhmJson.Options)}");
        return $"{entries.Count} entries on the first page ({string.Join(", ", actions)}...); chain {chain}: {report.Entries} entries intact, head signed at seq {report.SignedSeq}";
    }

    private JsonElement Partner(string name) =>
        partners.TryGetValue(name, out var p) ? p : throw new StoryException($"the sample partners have no '{name}'");
}
