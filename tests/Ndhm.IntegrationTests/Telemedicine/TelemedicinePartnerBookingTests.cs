using System.Globalization;
using System.Net;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Gateway;

namespace Ndhm.IntegrationTests.Telemedicine;

/// <summary>
/// A PHR app books for a patient over the real HTTP surface: the patient approves the app's DIRECT users/auth request
/// in the platform's patient API, the app receives the access token in users/auth/notify on its bridge (the sandbox's
/// sample HIU bridge), then sends UHI select/init/confirm/status/cancel, each 202 and answered by an on_ callback
/// through the gateway's deliveries.
/// </summary>
public sealed class TelemedicinePartnerBookingTests(TelemedicineHostFixture sandbox) : IClassFixture<TelemedicineHostFixture>
{
    private const string Bridge = "hiu";

    /// <summary>A PHR app (roles PHR_APP, and HIU for users/auth) whose bridge is the sample HIU bridge.</summary>
    private async Task<App> AppAsync()
    {
        var (client, secret) = await sandbox.Gateway.RegisterPartnerAsync($"http://localhost:{sandbox.Host.Port}/api/sandbox/bridges/{Bridge}",
            Roles.PhrApp, Roles.Hiu);
        return new App(client, await sandbox.Gateway.SessionTokenAsync(client, secret));
    }

    /// <summary>The app asks for DIRECT authentication of the patient, the patient approves, the app reads the access token from users/auth/notify.</summary>
    private async Task<string> AccessTokenAsync(App app, string patientToken, string patientNumber)
    {
        var number = $"{patientNumber[..2]}-{patientNumber[2..6]}-{patientNumber[6..10]}-{patientNumber[10..]}";
        var initId = await AcceptedAsync(app, "v0.5/users/auth/init",
            new { query = new { id = number, purpose = "LINK", authMode = "DIRECT", requester = new { type = "HIU", id = app.ClientId } } },
            ("X-HIU-ID", app.ClientId));
        var onInit = await CallbackAsync("/v0.5/users/auth/on-init", b => Answers(b, initId));
        var transactionId = onInit.GetProperty("auth").GetProperty("transactionId").GetString()!;
        await sandbox.OkAsync(HttpMethod.Post, $"v1/patients/me/auth-requests/{transactionId}/approve", patientToken);
        var notify = await CallbackAsync("/v0.5/users/auth/notify",
            b => b.GetProperty("auth").GetProperty("transactionId").GetString() == transactionId);
        return notify.GetProperty("auth").GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task GivenThePatientApprovedTheApp_WhenItSelectsInitsConfirmsAsksTheStatusAndCancels_ThenEachOnCallbackAnswersForThatPatient()
    {
        var doctor = await sandbox.DoctorAsync("Leela Menon");
        var slot = (await sandbox.PublishAsync(doctor, 1, fee: 450m))[0];
        var (patient, number) = await sandbox.PatientAsync();
        var app = await AppAsync();
        var accessToken = await AccessTokenAsync(app, patient, number);

        var quote = await StepAsync(app, "select", new { order = new { slotId = slot } });
        var held = (await StepAsync(app, "init", new { accessToken, order = new { slotId = slot, mode = "audio" } })).GetProperty("order");
        var id = held.GetProperty("appointmentId").GetString()!;
        var confirmed = (await StepAsync(app, "confirm",
            new { accessToken, order = new { appointmentId = id, paymentReference = "upi-app-1", teleconsultationConsent = true } })).GetProperty("order");
        var status = (await StepAsync(app, "status", new { accessToken, order = new { appointmentId = id } })).GetProperty("order");
        var mine = await sandbox.OkAsync(HttpMethod.Get, "v1/patients/me/teleconsultations", patient);
        var cancelled = (await StepAsync(app, "cancel", new { accessToken, order = new { appointmentId = id, reason = "feeling better" } })).GetProperty("order");

        Assert.Equal(450m, quote.GetProperty("quote").GetProperty("priceInr").GetDecimal());
        Assert.Equal(("INITIATED", number, slot), (held.GetProperty("status").GetString(),
            held.GetProperty("patientAbhaNumber").GetString()!.Replace("-", "", StringComparison.Ordinal), held.GetProperty("slotId").GetString()));
        Assert.Equal("CONFIRMED", confirmed.GetProperty("status").GetString());
        Assert.True(confirmed.TryGetProperty("teleconsultationConsent", out _));
        Assert.Equal("CONFIRMED", status.GetProperty("status").GetString());
        Assert.Contains(mine.GetProperty("appointments").EnumerateArray(), a => a.GetProperty("appointmentId").GetString() == id);
        Assert.Equal(("CANCELLED", 450m), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("refund").GetProperty("amountInr").GetDecimal()));
        Assert.Equal("open", await SlotStateAsync(doctor, slot));
    }

    [Fact]
    public async Task GivenTwoPatientsBookingOneSlotThroughTheApp_WhenTheirInitsRace_ThenOneOnInitHoldsItAndTheOtherIsAnErrorNamingTheSlot()
    {
        var doctor = await sandbox.DoctorAsync("Farah Khan");
        var slot = (await sandbox.PublishAsync(doctor, 1))[0];
        var app = await AppAsync();
        var (first, firstNumber) = await sandbox.PatientAsync();
        var (second, secondNumber) = await sandbox.PatientAsync();
        var firstToken = await AccessTokenAsync(app, first, firstNumber);
        var secondToken = await AccessTokenAsync(app, second, secondNumber);

        var answers = await Task.WhenAll(
            StepAsync(app, "init", new { accessToken = firstToken, order = new { slotId = slot, mode = "video" } }),
            StepAsync(app, "init", new { accessToken = secondToken, order = new { slotId = slot, mode = "video" } }));

        var won = Assert.Single(answers, a => a.TryGetProperty("order", out _)).GetProperty("order");
        var lost = Assert.Single(answers, a => a.TryGetProperty("error", out _)).GetProperty("error");
        Assert.Equal("SLOT_TAKEN", lost.GetProperty("ndhmCode").GetString());
        Assert.Contains(slot, lost.GetProperty("message").GetString());
        Assert.Equal("held", await SlotStateAsync(doctor, slot));
        var slots = await sandbox.OkAsync(HttpMethod.Get, "v1/telemedicine/slots", doctor.Token);
        Assert.Equal(won.GetProperty("appointmentId").GetString(),
            slots.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("slotId").GetString() == slot).GetProperty("appointmentId").GetString());
    }

    [Fact]
    public async Task GivenAnotherAppsTokenOrAnotherPatientsAppointment_WhenTheAppActs_ThenErrorsAndNothingChanges_AndNoTokenIs400()
    {
        var doctor = await sandbox.DoctorAsync("Suresh Pillai");
        var slots = await sandbox.PublishAsync(doctor, 2);
        var app = await AppAsync();
        var thief = await AppAsync();
        var (patient, number) = await sandbox.PatientAsync();
        var (other, otherNumber) = await sandbox.PatientAsync();
        var token = await AccessTokenAsync(app, patient, number);
        var otherToken = await AccessTokenAsync(app, other, otherNumber);
        var theirs = (await StepAsync(app, "init", new { accessToken = otherToken, order = new { slotId = slots[1], mode = "chat" } }))
            .GetProperty("order").GetProperty("appointmentId").GetString()!;

        var stolen = (await StepAsync(thief, "init", new { accessToken = token, order = new { slotId = slots[0], mode = "video" } })).GetProperty("error");
        var peek = (await StepAsync(app, "status", new { accessToken = token, order = new { appointmentId = theirs } })).GetProperty("error");
        var cancel = (await StepAsync(app, "cancel", new { accessToken = token, order = new { appointmentId = theirs } })).GetProperty("error");
        using var missing = await PostAsync(app, "v1/telemedicine/partner/init", new { order = new { slotId = slots[0], mode = "video" } });

        Assert.Equal(("ABDM-1066", "INVALID_ACCESS_TOKEN"), (stolen.GetProperty("code").GetString(), stolen.GetProperty("ndhmCode").GetString()));
        Assert.Equal("open", await SlotStateAsync(doctor, slots[0]));
        Assert.Equal(["APPOINTMENT_NOT_FOUND", "APPOINTMENT_NOT_FOUND"], new[] { peek, cancel }.Select(e => e.GetProperty("ndhmCode").GetString()));
        var status = (await StepAsync(app, "status", new { accessToken = otherToken, order = new { appointmentId = theirs } })).GetProperty("order");
        Assert.Equal("INITIATED", status.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("accessToken", await missing.Content.ReadAsStringAsync());
    }

    /// <summary>Sends UHI step <paramref name="step"/> (202) and answers the body of its <c>on_</c> callback.</summary>
    private async Task<JsonElement> StepAsync(App app, string step, object payload)
    {
        var requestId = await AcceptedAsync(app, "v1/telemedicine/partner/" + step, payload);
        return await CallbackAsync("/uhi/on_" + step, b => Answers(b, requestId));
    }

    private async Task<string> AcceptedAsync(App app, string path, object payload, params (string Name, string Value)[] headers)
    {
        var requestId = Guid.NewGuid().ToString();
        using var response = await PostAsync(app, path, payload, requestId, headers);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {(int)response.StatusCode} {text}");
        return requestId;
    }

    private async Task<HttpResponseMessage> PostAsync(App app, string path, object payload, string? requestId = null, params (string Name, string Value)[] headers)
    {
        var body = JsonSerializer.SerializeToNode(payload)!.AsObject();
        body["requestId"] = requestId ?? Guid.NewGuid().ToString();
        body["timestamp"] = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        using var request = GatewayHostFixture.Request(HttpMethod.Post, "api/" + path, app.Token);
        request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation("X-CM-ID", "sbx");
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await sandbox.Client.SendAsync(request);
    }

    private static bool Answers(JsonElement body, string requestId) =>
        body.TryGetProperty("resp", out var resp) && resp.GetProperty("requestId").GetString() == requestId;

    /// <summary>The first message the bridge received at <paramref name="path"/> that <paramref name="match"/> accepts (bounded wait).</summary>
    private async Task<JsonElement> CallbackAsync(string path, Func<JsonElement, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var response = await sandbox.Client.GetAsync($"api/sandbox/bridges/{Bridge}/received");
            var received = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("received");
            foreach (var item in received.EnumerateArray().Where(m => m.GetProperty("path").GetString() == path))
            {
                var body = JsonDocument.Parse(item.GetProperty("body").GetString()!).RootElement;
                if (match(body)) return body.Clone();
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"no callback at {path} on the {Bridge} bridge within the wait");
    }

    private async Task<string> SlotStateAsync(Doctor doctor, string slotId)
    {
        var slots = await sandbox.OkAsync(HttpMethod.Get, "v1/telemedicine/slots", doctor.Token);
        return slots.GetProperty("slots").EnumerateArray().Single(s => s.GetProperty("slotId").GetString() == slotId).GetProperty("state").GetString()!;
    }

    private sealed record App(string ClientId, string Token);
}
