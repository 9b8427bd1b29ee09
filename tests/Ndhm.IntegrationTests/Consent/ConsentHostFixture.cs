using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Consents;

/// <summary>
/// The real local host with simulated KYC identities (patients enrol over HTTP), fast callback retries, cheap secret
/// hashing and a 2-second acknowledgement timeout for consent notifications. Partners use the sandbox's sample
/// bridges (<c>/api/sandbox/bridges/hip|hiu</c>), whose inboxes the tests read.
/// </summary>
public class ConsentHostFixture : HealthIdHostFixture
{
    public const int AckTimeoutSeconds = 2;

    /// <summary>Settings a fixture built on this one adds (the data-transfer fixtures' windows).</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>(MoreSettings)
    {
        ["Gateway__CallbackMaxAttempts"] = "4",
        ["Gateway__CallbackInitialDelayMs"] = "200",
        ["Gateway__CallbackMaxDelayMs"] = "1000",
        ["Gateway__CallbackTimeoutSeconds"] = "3",
        ["Gateway__SecretHashIterations"] = "1000",
        ["Consent__AckTimeoutSeconds"] = AckTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    };

    public GatewayHostFixture Gateway => GatewayHostFixture.Over(Host);

    public string Bridge(string name) => $"http://localhost:{Host.Port}/api/sandbox/bridges/{name}";

    /// <summary>The care contexts every world's HIP linked for its patient (what <see cref="ConsentWorld.Consent"/> requests).</summary>
    public static readonly string[] LinkedCareContexts = ["OP-1", "LAB-2"];

    /// <summary>
    /// A fresh world: a HIU facility with a verified doctor, two HIP facilities, a HIU partner and a HIP partner serving
    /// the first HIP (each with a session), and an enrolled patient with an ABHA address whose care contexts OP-1 and
    /// LAB-2 (patient reference PUID-1) the HIP linked (link token + add-contexts), since only linked care contexts
    /// can be granted.
    /// </summary>
    public async Task<ConsentWorld> WorldAsync(bool link = true)
    {
        var gateway = Gateway;
        var (hiu, _) = await gateway.RegisterFacilityAsync(name: "Consent Test Clinic");
        var (hip, _) = await gateway.RegisterFacilityAsync(name: "Consent Test Hospital");
        var (otherHip, _) = await gateway.RegisterFacilityAsync(name: "Consent Test Lab");
        var doctor = await RegisterVerifiedDoctorAsync(hiu);
        var (hiuClient, hiuSecret) = await gateway.RegisterPartnerAsync(Bridge("hiu"), [Roles.Hiu], [hiu]);
        var (hipClient, hipSecret) = await gateway.RegisterPartnerAsync(Bridge("hip"), [Roles.Hip], [hip]);
        var identity = NextIdentity();
        var enrolled = await HealthIdApi.EnrolAsync(Client, identity);
        var handle = "consent" + Guid.NewGuid().ToString("N")[..10];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, HealthIdApi.Token(enrolled)));
        var world = new ConsentWorld(this, hiu, hip, otherHip, doctor, hiuClient, await gateway.SessionTokenAsync(hiuClient, hiuSecret),
            hipClient, await gateway.SessionTokenAsync(hipClient, hipSecret), HealthIdApi.Token(enrolled), HealthIdApi.Number(enrolled), handle + "@sbx");
        if (link) await world.HipLinksAsync(identity.FirstName + " " + identity.LastName, LinkedCareContexts);
        return world;
    }

    /// <summary>Another HIU partner with its own verified facility (for cross-partner checks).</summary>
    public async Task<(string ClientId, string Token, string Facility)> OtherPartnerAsync(string role)
    {
        var (facility, _) = await Gateway.RegisterFacilityAsync(name: "Other Partner Facility");
        var (client, secret) = await Gateway.RegisterPartnerAsync(Bridge(role == Roles.Hip ? "hip" : "hiu"), [role], [facility]);
        return (client, await Gateway.SessionTokenAsync(client, secret), facility);
    }

    private async Task<string> RegisterVerifiedDoctorAsync(string facility)
    {
        var admin = await Gateway.AdminTokenAsync();
        using var register = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/professionals", admin, new
        {
            name = "Manju Rao",
            category = "doctor",
            council = "Telangana State Medical Council",
            registrationNumber = "TSMC/" + Guid.NewGuid().ToString("N")[..8],
            qualifications = new[] { "MBBS" },
            specialties = new[] { "General Medicine" },
            languages = new[] { "English" },
            facilityIds = new[] { facility },
        });
        using var registered = await Client.SendAsync(register);
        var body = await registered.Content.ReadAsStringAsync();
        Assert.True(registered.StatusCode == HttpStatusCode.Created, body);
        var hprId = JsonDocument.Parse(body).RootElement.GetProperty("hprId").GetString()!;
        using var verify = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/professionals/{hprId}/verify", admin);
        using var verified = await Client.SendAsync(verify);
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        return hprId;
    }
}

/// <summary>One test's partners, facilities and patient, with the calls the tests make.</summary>
public sealed record ConsentWorld(ConsentHostFixture Fixture, string Hiu, string Hip, string OtherHip, string Doctor, string HiuClient, string HiuToken,
    string HipClient, string HipToken, string PatientToken, string PatientNumber, string PatientAddress)
{
    private HttpClient Client => Fixture.Client;

    public object Consent(string purpose = "CAREMGT", DateTimeOffset? eraseAt = null, string? hip = null, string? hiu = null, string? patient = null,
        string? doctor = null, string[]? hiTypes = null, object[]? careContexts = null, string permissionTo = "2026-01-01T00:00:00.000Z") => new
    {
        purpose = new { text = "Care management", code = purpose, refUri = "http://terminology.hl7.org/ValueSet/v3-PurposeOfUse" },
        patient = new { id = patient ?? PatientAddress },
        hip = new { id = hip ?? Hip },
        careContexts = careContexts ?? new[] { new { patientReference = "PUID-1", careContextReference = "OP-1" }, new { patientReference = "PUID-1", careContextReference = "LAB-2" } },
        hiu = new { id = hiu ?? Hiu },
        requester = new { name = "Dr. Manju Rao", identifier = new { type = "HPR", value = doctor ?? Doctor, system = "https://hpr.abdm.gov.in" } },
        hiTypes = hiTypes ?? new[] { "OPConsultation", "Prescription" },
        permission = new
        {
            accessMode = "VIEW",
            dateRange = new { from = "2020-01-01T00:00:00.000Z", to = permissionTo },
            dataEraseAt = (eraseAt ?? DateTimeOffset.UtcNow.AddDays(30)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            frequency = new { unit = "HOUR", value = 1, repeats = 0 },
        },
    };

    /// <summary>An ABDM call: REQUEST-ID and TIMESTAMP as headers and in the body, as v0.5 clients send them.</summary>
    public async Task<(HttpResponseMessage Response, string RequestId)> AbdmAsync(string path, string token, Dictionary<string, object?> body)
    {
        var requestId = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        body["requestId"] = requestId;
        body["timestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/" + path, token, body, requestId, now);
        request.Headers.TryAddWithoutValidation("X-CM-ID", "sbx");
        return (await Client.SendAsync(request), requestId);
    }

    /// <summary>
    /// HIP-initiated linking as the world's HIP partner (it serves one facility, so that facility is the HIP): a link
    /// token for the patient (v3 generate-token), then add-contexts with <paramref name="references"/> under PUID-1.
    /// </summary>
    public async Task HipLinksAsync(string patientName, params string[] references)
    {
        var tokenRequest = Guid.NewGuid().ToString();
        using (var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v3/token/generate-token", HipToken,
                   new { abhaAddress = PatientAddress, name = patientName, gender = "F", yearOfBirth = 1992 }, tokenRequest, DateTimeOffset.UtcNow))
        {
            request.Headers.TryAddWithoutValidation("X-CM-ID", "sbx");
            using var response = await Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }

        var issued = await CallbackAsync("hip", "/v3/hip/token/on-generate-token",
            b => b.TryGetProperty("response", out var response) && response.GetProperty("requestId").GetString() == tokenRequest);
        Assert.True(issued.TryGetProperty("linkToken", out var token) && token.ValueKind == JsonValueKind.String, issued.ToString());
        var (added, addRequest) = await AbdmAsync("v0.5/links/link/add-contexts", HipToken, new()
        {
            ["link"] = new
            {
                accessToken = token.GetString(),
                patient = new
                {
                    referenceNumber = "PUID-1", display = patientName,
                    careContexts = references.Select(r => new { referenceNumber = r, display = "Visit " + r, hiTypes = new[] { "OPConsultation" } }).ToArray(),
                },
            },
        });
        using (added) Assert.True(added.StatusCode == HttpStatusCode.Accepted, await added.Content.ReadAsStringAsync());
        var answer = await CallbackAsync("hip", "/v0.5/links/link/on-add-contexts", b => Resp(b) == addRequest);
        Assert.True(answer.TryGetProperty("acknowledgement", out var ack) && ack.GetProperty("status").GetString() == "SUCCESS", answer.ToString());
    }

    /// <summary>consent-requests/init, then the on-init callback's consentRequest.id.</summary>
    public async Task<string> RequestConsentAsync(object? consent = null)
    {
        var onInit = await InitAsync(consent ?? Consent());
        Assert.False(onInit.TryGetProperty("error", out var error), error.ToString());
        return onInit.GetProperty("consentRequest").GetProperty("id").GetString()!;
    }

    /// <summary>consent-requests/init (202), then the body of the on-init callback answering it.</summary>
    public async Task<JsonElement> InitAsync(object consent, string? token = null)
    {
        var (response, requestId) = await AbdmAsync("v0.5/consent-requests/init", token ?? HiuToken, new() { ["consent"] = consent });
        using (response) Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await CallbackAsync("hiu", "/v0.5/consent-requests/on-init", b => Resp(b) == requestId);
    }

    public async Task<JsonElement> PatientAsync(HttpMethod method, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendPatientAsync(method, path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> SendPatientAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = GatewayHostFixture.Request(method, "api/" + path, PatientToken, body);
        return await Client.SendAsync(request);
    }

    public static string? Resp(JsonElement body) =>
        body.TryGetProperty("resp", out var resp) && resp.TryGetProperty("requestId", out var id) ? id.GetString() : null;

    /// <summary>Polls a sample bridge's inbox for a message at <paramref name="path"/> whose body matches (bounded).</summary>
    public Task<JsonElement> CallbackAsync(string bridge, string path, Func<JsonElement, bool> match, TimeSpan? within = null) =>
        CallbacksAsync(bridge, path, match, 1, within).ContinueWith(t => t.Result[0], TaskScheduler.Default);

    public async Task<IReadOnlyList<JsonElement>> CallbacksAsync(string bridge, string path, Func<JsonElement, bool> match, int atLeast,
        TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        IReadOnlyList<JsonElement> found = [];
        while (DateTime.UtcNow < deadline)
        {
            found = await ReceivedAsync(bridge, path, match);
            if (found.Count >= atLeast) return found;
            await Task.Delay(250);
        }

        throw new TimeoutException($"{atLeast} callback(s) {path} on the {bridge} bridge not received; got {found.Count}");
    }

    public async Task<IReadOnlyList<JsonElement>> ReceivedAsync(string bridge, string path, Func<JsonElement, bool> match)
    {
        var inbox = await Client.GetFromJsonAsync<JsonElement>($"api/sandbox/bridges/{bridge}/received");
        return inbox.GetProperty("received").EnumerateArray()
            .Where(m => m.GetProperty("path").GetString() == path)
            .Select(m => JsonDocument.Parse(m.GetProperty("body").GetString()!).RootElement.Clone())
            .Where(match).ToList();
    }

    /// <summary>hiu/notify messages about <paramref name="consentRequestId"/>.</summary>
    public Task<IReadOnlyList<JsonElement>> HiuNotificationsAsync(string consentRequestId) =>
        ReceivedAsync("hiu", "/v0.5/consents/hiu/notify", b => b.GetProperty("notification").GetProperty("consentRequestId").GetString() == consentRequestId);

    public Task<JsonElement> HiuNotificationAsync(string consentRequestId, string status) =>
        CallbackAsync("hiu", "/v0.5/consents/hiu/notify", b => b.GetProperty("notification").GetProperty("consentRequestId").GetString() == consentRequestId
                                                             && b.GetProperty("notification").GetProperty("status").GetString() == status);

    public Task<JsonElement> HipNotificationAsync(string artefactId, string status) =>
        CallbackAsync("hip", "/v0.5/consents/hip/notify", b => b.GetProperty("notification").GetProperty("consentId").GetString() == artefactId
                                                             && b.GetProperty("notification").GetProperty("status").GetString() == status);

    public Task<IReadOnlyList<JsonElement>> HipNotificationsAsync(string artefactId) =>
        ReceivedAsync("hip", "/v0.5/consents/hip/notify", b => b.GetProperty("notification").GetProperty("consentId").GetString() == artefactId);

    public async Task<string> AdminSweepAsync()
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/admin/consents/sweep", await Fixture.Gateway.AdminTokenAsync());
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }
}
