using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Telemedicine;

/// <summary>
/// The real local host over the emulators, with patients enrolled over HTTP and doctors registered and verified in the
/// professionals registry. Doctors may start a day early here, so a slot published for tomorrow can be consulted now
/// (the time windows themselves are unit-tested on a controllable clock).
/// </summary>
public sealed class TelemedicineHostFixture : HealthIdHostFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Telemedicine__EarlyStartMinutes"] = "2880",
    };

    public GatewayHostFixture Gateway => GatewayHostFixture.Over(Host);

    /// <summary>A verified facility with a verified doctor at it; the doctor's TELECONSULT token (claim hprId).</summary>
    public Task<Doctor> DoctorAsync(string name = "Anita Sharma") => DoctorAsync(Host, name);

    /// <summary>A verified facility with a verified doctor at it on <paramref name="host"/>; the doctor's TELECONSULT token (claim hprId).</summary>
    public static async Task<Doctor> DoctorAsync(LocalHostProcess host, string name)
    {
        var gateway = GatewayHostFixture.Over(host);
        var client = host.Client;
        var (facility, _) = await gateway.RegisterFacilityAsync(name: "Tele Clinic " + Guid.NewGuid().ToString("N")[..6]);
        var admin = await gateway.AdminTokenAsync();
        using var register = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/professionals", admin, new
        {
            name,
            category = "doctor",
            council = "Telangana State Medical Council",
            registrationNumber = "TSMC/" + Guid.NewGuid().ToString("N")[..8],
            qualifications = new[] { "MBBS" },
            specialties = new[] { "General Medicine" },
            languages = new[] { "English", "Telugu" },
            facilityIds = new[] { facility },
        });
        using var registered = await client.SendAsync(register);
        var body = await registered.Content.ReadAsStringAsync();
        Assert.True(registered.StatusCode == HttpStatusCode.Created, body);
        var hprId = JsonDocument.Parse(body).RootElement.GetProperty("hprId").GetString()!;
        using var verify = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/professionals/{hprId}/verify", admin);
        using var verified = await client.SendAsync(verify);
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        using var tokenResponse = await client.PostAsJsonAsync("api/sandbox/tokens", new { subject = "doctor-" + hprId, roles = new[] { Roles.Teleconsult }, hprId });
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("accessToken").GetString()!;
        return new Doctor(hprId, facility, token);
    }

    /// <summary>A freshly enrolled patient's token and ABHA number (digits).</summary>
    public async Task<(string Token, string Number)> PatientAsync()
    {
        var enrolled = await HealthIdApi.EnrolAsync(Client, NextIdentity());
        return (HealthIdApi.Token(enrolled), HealthIdApi.Number(enrolled).Replace("-", "", StringComparison.Ordinal));
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = GatewayHostFixture.Request(method, "api/" + path, token, body);
        return await Client.SendAsync(request);
    }

    public async Task<JsonElement> OkAsync(HttpMethod method, string path, string token, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Publishes <paramref name="count"/> 15-minute slots from a whole minute <paramref name="hoursAhead"/> hours from now; their ids.</summary>
    public Task<IReadOnlyList<string>> PublishAsync(Doctor doctor, int count = 2, int hoursAhead = 20, decimal fee = 500m) =>
        PublishAsync(Client, doctor, count, hoursAhead, fee);

    /// <summary>The doctor publishes <paramref name="count"/> 15-minute slots on the host <paramref name="client"/> talks to; their ids.</summary>
    public static async Task<IReadOnlyList<string>> PublishAsync(HttpClient client, Doctor doctor, int count, int hoursAhead, decimal fee)
    {
        var now = DateTimeOffset.UtcNow;
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(hoursAhead).AddMinutes(Random.Shared.Next(0, 40) * 15 % 60);
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/telemedicine/slots", doctor.Token, Availability(doctor, from, count, fee));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"publish slots: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("slotId").GetString()!).ToList();
    }

    public static object Availability(Doctor doctor, DateTimeOffset from, int count, decimal fee = 500m) => new
    {
        facilityId = doctor.Facility,
        specialty = "General Medicine",
        languages = new[] { "English", "Telugu" },
        modes = new[] { "video", "audio", "chat" },
        feeInr = fee,
        durationMinutes = 15,
        from,
        until = from.AddMinutes(15 * count),
    };

    /// <summary>init + confirm for the patient; the appointment id.</summary>
    public async Task<string> BookAsync(string patientToken, string slotId)
    {
        var held = await OkAsync(HttpMethod.Post, "v1/telemedicine/init", patientToken, new { slotId, mode = "video" }, HttpStatusCode.Created);
        var id = held.GetProperty("appointmentId").GetString()!;
        await OkAsync(HttpMethod.Post, "v1/telemedicine/confirm", patientToken, new { appointmentId = id, paymentReference = "upi-" + id[..8], teleconsultationConsent = true });
        return id;
    }
}

public sealed record Doctor(string HprId, string Facility, string Token);
