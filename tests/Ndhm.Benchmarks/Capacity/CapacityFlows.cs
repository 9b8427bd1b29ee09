using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ndhm.Benchmarks.Capacity;

/// <summary>
/// The platform's main flows as the README's sandbox walkthrough runs them (Asha Verma, the sample hospital and clinic),
/// one call each, for <see cref="RequestUnitsPerOperation"/>.
/// </summary>
public sealed class CapacityFlows(HttpClient platform, HttpClient partners)
{
    private string hipToken = "";
    private string asha = "";
    private string ashaAddress = "";
    private string hospital = "";
    private string lookupAddress = "";
    private string? lastArtefact;

    public async Task PrepareAsync()
    {
        hipToken = (await PostAsync(platform, "api/sandbox/tokens", null, new { subject = "capacity-hip", roles = new[] { "HIP" } }))
            .GetProperty("accessToken").GetString()!;
        asha = await EnrolAshaAsync();
        ashaAddress = (await GetAsync(platform, "api/v3/profile/account", asha)).GetProperty("preferredAbhaAddress").GetString()!;
        hospital = (await GetAsync(partners, "partners", null)).GetProperty("partners").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "hospital").GetProperty("facilityId").GetString()!;
        lookupAddress = await EnrolOneAsync();
    }

    public async Task EnrolAsync() => await EnrolOneAsync();

    public async Task LookupAsync() => await GetAsync(platform, $"api/v3/verification/abha/{lookupAddress}", hipToken);

    public async Task ProfileAsync() => await GetAsync(platform, "api/v3/profile/account", asha);

    public async Task RegisterFacilityAsync() => await PostAsync(platform, "api/v1/facilities", hipToken, new
    {
        facilityName = "Capacity Clinic " + Guid.NewGuid().ToString("N")[..6],
        facilityType = "Clinic",
        ownership = "Private",
        systemsOfMedicine = new[] { "Modern Medicine" },
        address = new { addressLine = "MG Road 1", city = "Pune", district = "Pune", stateCode = "27", pincode = "411001" },
        geoLocation = new { latitude = 18.52, longitude = 73.86 },
        contact = new { phone = "+91 20 2000 0000", email = "desk@example.org" },
    });

    /// <summary>Discovery at the hospital, a link request for two care contexts and its OTP confirmation (a fresh sandbox: once).</summary>
    public async Task LinkAsync()
    {
        var txn = (await PostAsync(platform, "api/v1/patients/me/discover", asha, new { hipId = hospital })).GetProperty("transactionId").GetString()!;
        await UntilAsync(() => GetAsync(platform, $"api/v1/patients/me/discoveries/{txn}", asha), d => d.GetProperty("status").GetString() != "REQUESTED" && d.GetProperty("status").GetString() != "PENDING");
        using var linkResponse = await SendAsync(platform, HttpMethod.Post, "api/v1/patients/me/links", asha, new { transactionId = txn, careContexts = new[] { "OP-2025-0412", "IP-2025-0831" } });
        if (!linkResponse.IsSuccessStatusCode)
        {
            Console.Error.WriteLine($"link: {(int)linkResponse.StatusCode} (already linked on this sandbox? the link row then counts discovery only)");
            return;
        }

        var linkRequest = JsonDocument.Parse(await linkResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("linkRequestId").GetString()!;
        var reference = (await UntilAsync(() => GetAsync(platform, $"api/v1/patients/me/link-requests/{linkRequest}", asha),
            r => r.TryGetProperty("linkRefNumber", out var n) && n.ValueKind == JsonValueKind.String)).GetProperty("linkRefNumber").GetString()!;
        var sms = await UntilAsync(() => GetAsync(partners, "hospital/sms?mobile=9000000001", null),
            s => s.GetProperty("messages").EnumerateArray().Any(m => m.GetProperty("linkRefNumber").GetString() == reference));
        var otp = sms.GetProperty("messages").EnumerateArray().First(m => m.GetProperty("linkRefNumber").GetString() == reference).GetProperty("otp").GetString();
        await PostAsync(platform, $"api/v1/patients/me/links/{reference}/confirm", asha, new { otp });
    }

    /// <summary>The clinic asks (consent-requests/init), Asha grants one care context, hospital and clinic are notified.</summary>
    public async Task ConsentAsync()
    {
        var asked = await PostAsync(partners, "clinic/consent-requests", null, new { patient = ashaAddress, hip = "hospital", hiTypes = new[] { "OPConsultation" } });
        var requestId = asked.GetProperty("requestId").GetString()!;
        var requested = await UntilAsync(() => GetAsync(partners, $"clinic/consent-requests/{requestId}", null), r => r.GetProperty("status").GetString() != "SENT");
        var consentRequestId = requested.GetProperty("consentRequestId").GetString() ?? throw new InvalidOperationException("consent request failed: " + requested);
        var granted = await PostAsync(platform, $"api/v1/patients/me/consent-requests/{consentRequestId}/grant", asha, new
        {
            hips = new[] { new { id = hospital, careContexts = new[] { new { patientReference = "HOSP-MRN-1001", careContextReference = "OP-2025-0412" } } } },
        });
        lastArtefact = granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!;
        await UntilAsync(() => GetAsync(partners, $"clinic/consent-requests/{requestId}", null), r => r.GetProperty("status").GetString() == "GRANTED");
    }

    /// <summary>The clinic requests the data of the last granted artefact; the hospital pushes it (counted until the clinic holds it).</summary>
    public async Task TransferAsync()
    {
        if (lastArtefact is null) await ConsentAsync();
        var before = (await GetAsync(partners, "clinic/health-records", null)).GetProperty("records").GetArrayLength();
        await PostAsync(partners, "clinic/health-information-requests", null, new { consentId = lastArtefact, from = "2016-01-01T00:00:00.000Z", to = "2020-01-01T00:00:00.000Z" });
        await UntilAsync(() => GetAsync(partners, "clinic/health-records", null), r => r.GetProperty("records").GetArrayLength() > before);
    }

    private async Task<string> EnrolOneAsync()
    {
        var mobile = "7" + string.Concat(Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)));
        var txnId = (await PostAsync(platform, "api/v3/enrollment/request/otp", null, new { loginHint = "mobile", loginId = mobile })).GetProperty("txnId").GetString()!;
        var otp = (await GetAsync(platform, $"api/sandbox/otp-outbox?mobile={mobile}", null)).GetProperty("messages").EnumerateArray()
            .First(m => m.GetProperty("txnId").GetString() == txnId).GetProperty("otp").GetString();
        var enrolled = await PostAsync(platform, "api/v3/enrollment/enrol/byMobile", null, new
        {
            authData = new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp, mobile } },
            consent = new { code = "abha-enrollment", version = "1.4" },
            firstName = "Capacity", lastName = "Model", gender = "O", yearOfBirth = 1990,
        });
        var token = enrolled.GetProperty("tokens").GetProperty("token").GetString()!;
        var claimed = await PostAsync(platform, "api/v3/enrollment/enrol/abha-address", token, new { abhaAddress = "cap" + Guid.NewGuid().ToString("N")[..12], preferred = true });
        return claimed.GetProperty("preferredAbhaAddress").GetString()!;
    }

    private async Task<string> EnrolAshaAsync()
    {
        var txn = (await PostAsync(platform, "api/v3/enrollment/request/otp", null,
            new { scope = new[] { "abha-enrol" }, loginHint = "aadhaar", loginId = "999900000016", otpSystem = "aadhaar" })).GetProperty("txnId").GetString()!;
        var otp = (await GetAsync(platform, "api/sandbox/otp-outbox?mobile=9000000001", null)).GetProperty("messages").EnumerateArray()
            .First(m => m.GetProperty("txnId").GetString() == txn).GetProperty("otp").GetString();
        var enrolled = await PostAsync(platform, "api/v3/enrollment/enrol/byAadhaar", null, new
        {
            authData = new { authMethods = new[] { "otp" }, otp = new { txnId = txn, otpValue = otp } },
            consent = new { code = "abha-enrollment", version = "1.4" },
        });
        var token = enrolled.GetProperty("tokens").GetProperty("token").GetString()!;
        using var added = await SendAsync(platform, HttpMethod.Post, "api/v3/enrollment/enrol/abha-address", token, new { abhaAddress = "asha.verma", preferred = true });
        return token;   // 409 above when she has the address already
    }

    private static async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("still " + value);
            await Task.Delay(100);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? token, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path, string? token)
    {
        using var response = await SendAsync(client, HttpMethod.Get, path, token, null);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, string? token, object body)
    {
        using var response = await SendAsync(client, HttpMethod.Post, path, token, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
