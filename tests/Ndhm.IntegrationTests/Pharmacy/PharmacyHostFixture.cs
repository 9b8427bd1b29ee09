using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Pharmacy;

/// <summary>
/// The real local host with sandbox-seeded consultation facts (<c>Pharmacy__SandboxConsultationFacts</c>) and its own
/// order queue; a world is a clinic, a verified doctor, pharmacies (each with its PHARMACY partner) and a patient.
/// </summary>
public sealed class PharmacyHostFixture : IAsyncLifetime
{
    private LocalHostProcess? host;

    public HttpClient Client => (host ?? throw new InvalidOperationException("not started")).Client;

    /// <summary>The same helpers over a host someone else started (and disposes); it needs <c>Pharmacy__SandboxConsultationFacts</c>.</summary>
    public static PharmacyHostFixture Over(LocalHostProcess running) => new() { host = running };

    public string Pincode { get; } = "50" + Random.Shared.Next(1000, 9999);

    public async Task InitializeAsync() => host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
    {
        ["Pharmacy__SandboxConsultationFacts"] = "true",
        ["Gateway__SecretHashIterations"] = "1000",
    });

    public async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }

    public async Task<string> TokenAsync(string subject, string role)
    {
        var body = await SendAsync(HttpMethod.Post, "api/sandbox/tokens", null, new { subject, roles = new[] { role } });
        return body.GetProperty("accessToken").GetString()!;
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> CallAsync(HttpMethod method, string path, string? token, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string? token, object? json = null)
    {
        var (status, body) = await CallAsync(method, path, token, json);
        Assert.True((int)status is >= 200 and < 300, $"{method} {path}: {(int)status} {body}");
        return body;
    }

    public async Task<string> FacilityAsync(string admin, string name, string type, string pincode)
    {
        var body = await SendAsync(HttpMethod.Post, "api/v1/facilities", admin, new
        {
            facilityName = name, facilityType = type, ownership = "Private", systemsOfMedicine = new[] { "Modern Medicine" },
            address = new { addressLine = "1 Main Road", district = "Hyderabad", stateCode = "36", pincode },
            geoLocation = new { latitude = 17.4, longitude = 78.4 }, contact = new { phone = "+91 40 1234 5678" },
        });
        return body.GetProperty("facilityId").GetString()!;
    }

    /// <summary>A verified pharmacy in <see cref="Pincode"/>, its PHARMACY partner and that partner's token.</summary>
    public async Task<(string Facility, string Token)> PharmacyAsync(string admin, string name)
    {
        var facility = await FacilityAsync(admin, name, "Pharmacy", Pincode);
        var client = "rx" + Guid.NewGuid().ToString("N")[..12];
        await SendAsync(HttpMethod.Post, "api/v1/partners", admin, new
        {
            clientId = client, name, roles = new[] { "PHARMACY" }, bridgeUrl = $"http://localhost:{host!.Port}/api/sandbox/bridges/pharmacy",
            facilities = new[] { facility },
        });
        return (facility, await TokenAsync(client, "PHARMACY"));
    }

    public async Task<PharmacyWorld> WorldAsync()
    {
        var admin = await TokenAsync("admin-rx", "PLATFORM_ADMIN");
        var clinic = await FacilityAsync(admin, "Rx Test Clinic", "Clinic", "502110");
        var doctor = (await SendAsync(HttpMethod.Post, "api/v1/professionals", admin, new
        {
            name = "Meera Iyer", category = "doctor", council = "Telangana State Medical Council", registrationNumber = "TSMC/" + Guid.NewGuid().ToString("N")[..8],
            qualifications = new[] { "MBBS" }, specialties = new[] { "General Medicine" }, languages = new[] { "English" }, facilityIds = new[] { clinic },
        })).GetProperty("hprId").GetString()!;
        await SendAsync(HttpMethod.Post, $"api/v1/professionals/{doctor}/verify", admin);
        var patient = NewAbhaNumber();
        return new PharmacyWorld(this, admin, clinic, doctor, await TokenAsync(doctor, "HEALTH_WORKER"), patient, await TokenAsync(patient, "PATIENT"));
    }

    /// <summary>A random valid ABHA number (91, 11 random digits, Luhn check digit).</summary>
    public static string NewAbhaNumber()
    {
        var first = "91" + string.Concat(Enumerable.Range(0, 11).Select(_ => (char)('0' + Random.Shared.Next(10))));
        var sum = 0;
        for (var i = 0; i < first.Length; i++)
        {
            var d = first[first.Length - 1 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }

        return first + (char)('0' + (10 - sum % 10) % 10);
    }
}

public sealed record PharmacyWorld(PharmacyHostFixture Host, string Admin, string Clinic, string Doctor, string DoctorToken, string Patient, string PatientToken)
{
    public async Task<string> ConsultationAsync(string mode = "VIDEO", bool followUp = false, string condition = "J02", string? patient = null)
    {
        var id = Guid.NewGuid().ToString();
        await Host.SendAsync(HttpMethod.Post, "api/sandbox/consultation-facts", null, new
        {
            consultationId = id, doctorHprId = Doctor, patientAbhaNumber = patient ?? Patient, mode, isFollowUp = followUp, conditionCode = condition,
            facilityId = Clinic, status = "IN_PROGRESS",
        });
        return id;
    }

    public static object Item(string drug, int quantity, bool substitution = false) =>
        new { drugCode = drug, dosage = "1 unit", frequencyPerDay = 2, durationDays = 5, quantity, substitutionAllowed = substitution };

    public Task<(HttpStatusCode Status, JsonElement Body)> PrescribeAsync(string consultation, string condition, params object[] items) =>
        Host.CallAsync(HttpMethod.Post, $"api/v1/consultations/{consultation}/prescriptions", DoctorToken, new { conditionCode = condition, items });

    public async Task<string> PrescriptionAsync(params object[] items)
    {
        var (status, body) = await PrescribeAsync(await ConsultationAsync(), "J02", items);
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Shares with one pharmacy, which quotes every line as prescribed at 2.50; the patient orders: the order id.</summary>
    public async Task<string> OrderAsync(string prescription, string pharmacy, string pharmacyToken, int lines = 1)
    {
        var share = (await Host.SendAsync(HttpMethod.Post, $"api/v1/patients/me/prescriptions/{prescription}/shares", PatientToken, new { pharmacyId = pharmacy }))
            .GetProperty("id").GetString()!;
        await Host.SendAsync(HttpMethod.Post, $"api/v1/pharmacy/prescription-shares/{share}/quotes", pharmacyToken, new
        {
            pharmacyId = pharmacy, lines = Enumerable.Range(1, lines).Select(l => new { line = l, available = true, unitPrice = 2.5m }).ToArray(),
        });
        return (await Host.SendAsync(HttpMethod.Post, $"api/v1/patients/me/prescription-shares/{share}/orders", PatientToken, new { pharmacyId = pharmacy }))
            .GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> WaitForOrderAsync(string order, Func<JsonElement, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var body = await Host.SendAsync(HttpMethod.Get, $"api/v1/patients/me/pharmacy-orders/{order}", PatientToken);
            if (done(body)) return body;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Order did not get there: " + body);
            await Task.Delay(250);
        }
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> StepAsync(string order, string token, string status) =>
        Host.CallAsync(HttpMethod.Post, $"api/v1/pharmacy/orders/{order}/status", token, new { status });

    public static bool Has(JsonElement order, string status, int events) =>
        order.GetProperty("status").GetString() == status && order.GetProperty("events").GetArrayLength() >= events;
}
