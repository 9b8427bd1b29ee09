using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.SamplePartners;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Phr;

/// <summary>
/// The platform as the patient's own HIU, over HTTP with the sample partners: Meenakshi links her records at the sample
/// hospital, asks for them (a PATRQT consent granted by the ask), the hospital answers hip/request with the HIP library
/// and pushes to the platform's data-push endpoint, the records appear in her PHR timeline, a replayed push after the
/// transfer closed is refused (the key is gone) and adds nothing, and she is told the outcome by SMS.
/// </summary>
public sealed class PatientPullTests(SamplePartnersFixture sandbox) : IClassFixture<SamplePartnersFixture>
{
    /// <summary>Meenakshi Sundaram, a sandbox KYC identity (HOSP-MRN-1003 at the sample hospital); only this test enrols her.</summary>
    private static readonly TestIdentity Meenakshi = new("999900000037", "9000000003", "Meenakshi", "Sundaram");

    private static readonly string[] References = ["OP-2024-0126", "IM-2025-0301"];

    [Fact]
    public async Task GivenLinkedRecordsAtTheHospital_WhenThePatientAsksForThem_ThenTheyLandInHerTimelineOnce_AndSheIsToldTheOutcome()
    {
        var hospital = await sandbox.Partners.PartnerAsync("hospital");
        var hipId = hospital.GetProperty("facilityId").GetString()!;
        var token = HealthIdApi.Token(await HealthIdApi.EnrolAsync(sandbox.Client, Meenakshi));
        var handle = "meenakshi" + Guid.NewGuid().ToString("N")[..8];
        await HealthIdApi.OkJsonAsync(await HealthIdApi.PostAsync(sandbox.Client, "v3/enrollment/enrol/abha-address", new { abhaAddress = handle }, token));
        await LinkAtHospitalAsync(token, hipId);

        var pull = await PatientAsync(token, HttpMethod.Post, "v1/patients/me/health-records/pulls", new { hipId }, HttpStatusCode.Accepted);
        var transactionId = pull.GetProperty("transactionId").GetString()!;
        Assert.Equal(2, pull.GetProperty("careContexts").GetInt32());

        var status = await UntilAsync(token, $"v1/health-information/transactions/{transactionId}",
            t => t.GetProperty("status").GetString() is not ("REQUESTED" or "ACKNOWLEDGED"), TimeSpan.FromSeconds(120));
        Assert.True(status.GetProperty("status").GetString() == "TRANSFERRED", $"{status}\n{Tail(sandbox.Host.Output)}\n{Tail(sandbox.Partners.Output)}");
        var mine = await PulledAsync(token, transactionId);
        Assert.Equal(References.Order(), mine.Select(r => r.GetProperty("careContextReference").GetString()!).Order());
        Assert.All(mine, r => Assert.Equal(hipId, r.GetProperty("hipId").GetString()));

        // The hospital's push replayed after the transfer closed: refused (the platform dropped the key), nothing added.
        var hipRequest = (await sandbox.Partners.InboxAsync("hospital", "/v0.5/health-information/hip/request", "received"))
            .Select(e => e.GetProperty("body")).Single(b => b.GetProperty("transactionId").GetString() == transactionId);
        var request = HipTransferRequest.Parse(hipRequest);
        using (var raw = new HttpRequestMessage(HttpMethod.Post, request.DataPushUrl))
        {
            raw.Headers.Authorization = new AuthenticationHeaderValue("Bearer", request.PushToken);
            raw.Content = new StringContent(JsonSerializer.Serialize(new { pageNumber = 1, pageCount = 1, transactionId, entries = Array.Empty<object>(),
                keyMaterial = request.KeyMaterial }, NdhmJson.Options), Encoding.UTF8, "application/json");
            using var refused = await sandbox.Client.SendAsync(raw);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        Assert.Equal(2, (await PulledAsync(token, transactionId)).Count);

        // Told once, by SMS to her verified mobile, with a link to the transaction.
        var told = await SmsAsync(Meenakshi.Mobile, transactionId);
        Assert.Contains("2 health record(s)", Assert.Single(told));
    }

    private static string Tail(string output) => output.Length > 6000 ? output[^6000..] : output;

    private async Task LinkAtHospitalAsync(string token, string hipId)
    {
        var txn = (await PatientAsync(token, HttpMethod.Post, "v1/patients/me/discover", new { hipId }, HttpStatusCode.Accepted))
            .GetProperty("transactionId").GetString()!;
        var discovery = await UntilAsync(token, $"v1/patients/me/discoveries/{txn}", d => d.GetProperty("status").GetString() != "PENDING");
        Assert.True(discovery.GetProperty("status").GetString() == "FOUND", discovery.ToString());
        var references = discovery.GetProperty("patient").GetProperty("careContexts").EnumerateArray()
            .Select(c => c.GetProperty("referenceNumber").GetString()!).ToArray();
        Assert.Equal(References, references);
        var linkRequest = (await PatientAsync(token, HttpMethod.Post, "v1/patients/me/links", new { transactionId = txn, careContexts = references },
            HttpStatusCode.Accepted)).GetProperty("linkRequestId").GetString()!;
        var awaiting = await UntilAsync(token, $"v1/patients/me/link-requests/{linkRequest}", r => r.GetProperty("status").GetString() != "REQUESTED");
        Assert.True(awaiting.GetProperty("status").GetString() == "AWAITING_OTP", awaiting.ToString());
        var linkRef = awaiting.GetProperty("linkRefNumber").GetString()!;
        var otp = (await sandbox.Partners.GetAsync($"hospital/sms?mobile={Meenakshi.Mobile}")).GetProperty("messages").EnumerateArray()
            .Single(m => m.GetProperty("linkRefNumber").GetString() == linkRef).GetProperty("otp").GetString();
        await PatientAsync(token, HttpMethod.Post, $"v1/patients/me/links/{linkRef}/confirm", new { otp }, HttpStatusCode.Accepted);
        await UntilAsync(token, $"v1/patients/me/link-requests/{linkRequest}", r => r.GetProperty("status").GetString() == "LINKED");
    }

    private async Task<List<JsonElement>> PulledAsync(string token, string transactionId) =>
        (await PatientAsync(token, HttpMethod.Get, "v1/patients/me/health-records?source=PULLED", null, HttpStatusCode.OK))
        .GetProperty("records").EnumerateArray().Where(r => r.GetProperty("transactionId").GetString() == transactionId).ToList();

    private static async Task<List<string>> SmsAsync(string mobile, string transactionId) =>
        (await SandboxSmsOutbox.ReadAsync(mobile)).Where(m => m.DeepLink.EndsWith(transactionId, StringComparison.Ordinal)).Select(m => m.Text).ToList();

    private async Task<JsonElement> PatientAsync(string token, HttpMethod method, string path, object? body, HttpStatusCode expected)
    {
        using var response = await HealthIdApi.SendAsync(sandbox.Client, method, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> UntilAsync(string token, string path, Func<JsonElement, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(45));
        while (true)
        {
            var last = await PatientAsync(token, HttpMethod.Get, path, null, HttpStatusCode.OK);
            if (done(last)) return last;
            Assert.True(DateTime.UtcNow < deadline, $"{path} never reached the expected state: {last}\n{sandbox.Partners.Output}");
            await Task.Delay(250);
        }
    }
}
