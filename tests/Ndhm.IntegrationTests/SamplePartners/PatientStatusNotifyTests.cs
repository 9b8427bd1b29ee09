using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Gateway.Callbacks;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.Linking;

namespace Ndhm.IntegrationTests.SamplePartners;

/// <summary>
/// ABDM patients/status/notify with the sample hospital: a patient who linked her records there deactivates her ABHA,
/// reactivates it and finally deletes it; each time the hospital's bridge gets the status (X-HIP-ID its facility), as a
/// delivery it can see in its own /api/v1/deliveries, and acknowledges with patients/status/on-notify, which the platform
/// accepts. An on-notify naming nothing sent to the hospital is 404 in ABDM's shape, one without resp.requestId 400.
/// No ABDM certification id covers this message in the repository's test traits, so the test carries none.
/// </summary>
public sealed class PatientStatusNotifyTests(SamplePartnersFixture sandbox) : IClassFixture<SamplePartnersFixture>
{
    [Fact]
    public async Task GivenAPatientLinkedAtTheHospital_WhenHerAbhaIsDeactivatedReactivatedAndDeleted_ThenTheHospitalIsToldEachStatus_AndAcknowledgesIt()
    {
        var partners = sandbox.Partners;
        var hospital = await partners.PartnerAsync("hospital");
        var hipId = hospital.GetProperty("facilityId").GetString()!;
        var identity = sandbox.NextIdentity();
        var enrolled = await HealthIdApi.EnrolAsync(sandbox.Client, identity);
        var token = HealthIdApi.Token(enrolled);
        var handle = "status" + Guid.NewGuid().ToString("N")[..8];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));
        var address = handle + "@sbx";
        var hospitalPatients = new SampleHospitalPatients(sandbox);
        await hospitalPatients.RegisterAsync(token, "OP-STATUS-1");
        await hospitalPatients.LinkAsync(token, hipId, identity.Mobile, "OP-STATUS-1");

        await HealthIdApi.ConfirmedAsync(sandbox.Client, token, identity.Mobile, "de-activate");
        var deactivated = await ToldAndAcknowledgedAsync(address, "DEACTIVATED", hipId, hospital.GetProperty("clientId").GetString()!);

        await HealthIdApi.OkJsonAsync(await HealthIdApi.SendAsync(sandbox.Client, HttpMethod.Post, "v3/profile/account/reactivate", token));
        var reactivated = await ToldAndAcknowledgedAsync(address, "REACTIVATED", hipId, hospital.GetProperty("clientId").GetString()!);

        await HealthIdApi.ConfirmedAsync(sandbox.Client, token, identity.Mobile, "delete");
        var deleted = await ToldAndAcknowledgedAsync(address, "DELETED", hipId, hospital.GetProperty("clientId").GetString()!);

        Assert.Equal(3, new[] { deactivated, reactivated, deleted }.Distinct().Count());
        // One notification per change: the hospital's bridge got each once.
        var received = await partners.InboxAsync("hospital", PatientStatusNotifier.NotifyPath, "received");
        Assert.Equal(3, received.Count(e => e.GetProperty("body").GetProperty("notification").GetProperty("patient").GetProperty("id").GetString() == address));

        // The hospital answering a notification it was never sent, or without naming one: refused, ABDM's error shape.
        var session = await HospitalSessionAsync();
        var unknown = await OnNotifyAsync(session, new { acknowledgment = new { status = "OK" }, resp = new { requestId = Guid.NewGuid() } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(("ABDM-1068", PatientStatusNotifier.NotificationNotFound),
            (unknown.Body.GetProperty("error").GetProperty("code").GetString(), unknown.Body.GetProperty("error").GetProperty("ndhmCode").GetString()));
        var unnamed = await OnNotifyAsync(session, new { acknowledgment = new { status = "OK" } });
        Assert.Equal((HttpStatusCode.BadRequest, "ABDM-1017"), (unnamed.Status, unnamed.Body.GetProperty("error").GetProperty("code").GetString()));
    }

    /// <summary>The hospital got <paramref name="status"/> for the address (as a recorded delivery) and its on-notify was accepted; its requestId.</summary>
    private async Task<string> ToldAndAcknowledgedAsync(string address, string status, string hipId, string hospitalClientId)
    {
        var partners = sandbox.Partners;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement notify;
        while (true)
        {
            var found = (await partners.InboxAsync("hospital", PatientStatusNotifier.NotifyPath, "received")).Where(e =>
                e.GetProperty("body").GetProperty("notification").GetProperty("patient").GetProperty("id").GetString() == address
                && e.GetProperty("body").GetProperty("notification").GetProperty("status").GetString() == status).ToList();
            if (found.Count > 0)
            {
                notify = found.Single();
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the hospital was never told {status} for {address}\n{partners.Output}");
            await Task.Delay(250);
        }

        var requestId = notify.GetProperty("requestId").GetString()!;
        var headers = notify.GetProperty("headers");
        Assert.Equal((hipId, "sbx", requestId),
            (headers.GetProperty("X-HIP-ID").GetString(), headers.GetProperty("X-CM-ID").GetString(), headers.GetProperty("REQUEST-ID").GetString()));
        Assert.Equal(["requestId", "timestamp", "notification"], notify.GetProperty("body").EnumerateObject().Select(p => p.Name));

        await partners.UntilAsync("hospital/patients", p => p.GetProperty("statuses").TryGetProperty(address, out var s) && s.GetString() == status);
        while (!(await partners.InboxAsync("hospital", "/v0.5/patients/status/on-notify", "sent")).Any(e =>
                   e.GetProperty("body").GetProperty("resp").GetProperty("requestId").GetString() == requestId && e.GetProperty("status").GetInt32() == 202))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the hospital's on-notify for {requestId} was not accepted\n{partners.Output}");
            await Task.Delay(250);
        }

        // The partner sees the notification among its own deliveries, as every callback.
        var delivery = await partners.GetAsync($"hospital/deliveries/{CallbackDispatcher.DeliveryIdFor(hospitalClientId, requestId, PatientStatusNotifier.NotifyPath)}");
        Assert.Equal(PatientStatusNotifier.NotifyPath, delivery.GetProperty("path").GetString());
        return requestId;
    }

    private async Task<string> HospitalSessionAsync()
    {
        var credentials = await sandbox.Partners.GetAsync("hospital/credentials");
        using var response = await sandbox.Client.PostAsJsonAsync("api/v1/sessions", new
        {
            clientId = credentials.GetProperty("clientId").GetString(),
            clientSecret = credentials.GetProperty("clientSecret").GetString(),
            grantType = "client_credentials",
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("accessToken").GetString()!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> OnNotifyAsync(string session, object answer)
    {
        var body = JsonSerializer.SerializeToNode(answer)!.AsObject();
        body["requestId"] = Guid.NewGuid().ToString();
        body["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v0.5/patients/status/on-notify") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session);
        request.Headers.Add("X-CM-ID", "sbx");
        using var response = await sandbox.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
