using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.HealthId.Numbers;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.HealthId;

/// <summary>A fictional person the host's simulated e-KYC knows (added through configuration, unique per run).</summary>
public sealed record TestIdentity(string Aadhaar, string Mobile, string FirstName, string LastName);

/// <summary>
/// The real local host with Health ID test settings: a generous OTP rate window (tests share no mobiles but send
/// many OTPs) and a set of fresh simulated KYC identities, so tests do not depend on each other's accounts.
/// </summary>
public class HealthIdHostFixture : IAsyncLifetime
{
    public const int IdentityCount = 32;
    private LocalHostProcess? host;
    private int next = -1;

    public HealthIdHostFixture()
        : this(IdentityCount)
    {
    }

    protected HealthIdHostFixture(int identityCount)
    {
        Identities = Enumerable.Range(0, identityCount).Select(_ => NewIdentity()).ToList();
    }

    public IReadOnlyList<TestIdentity> Identities { get; }

    public LocalHostProcess Host => host ?? throw new InvalidOperationException("not started");

    public HttpClient Client => Host.Client;

    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["HealthId__Otp__MaxRequestsPerMobile"] = "1000",
        };
        for (var i = 0; i < Identities.Count; i++)
        {
            var id = Identities[i];
            var prefix = $"HealthId__Kyc__Identities__{i}__";
            settings[prefix + "AadhaarNumber"] = id.Aadhaar;
            settings[prefix + "FirstName"] = id.FirstName;
            settings[prefix + "LastName"] = id.LastName;
            settings[prefix + "Gender"] = "F";
            settings[prefix + "BirthDate"] = "1992-03-04";
            settings[prefix + "AddressLine"] = "1 Test Lane";
            settings[prefix + "District"] = "Pune";
            settings[prefix + "State"] = "Maharashtra";
            settings[prefix + "PinCode"] = "411001";
            settings[prefix + "Mobile"] = id.Mobile;
        }

        foreach (var (k, v) in ExtraSettings) settings[k] = v;
        host = await LocalHostProcess.StartAsync(settings);
    }

    public virtual async Task DisposeAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }

    /// <summary>An identity no other test in this class uses.</summary>
    public TestIdentity NextIdentity() => Identities[Interlocked.Increment(ref next)];

    public static TestIdentity NewIdentity()
    {
        var body = string.Concat("9", string.Concat(Enumerable.Range(0, 10).Select(_ => Random.Shared.Next(10))));
        var aadhaar = body + Verhoeff.ComputeCheckDigit(body);
        var mobile = "8" + string.Concat(Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)));
        // Names of letters only (the address suggester and the name rules want them), unique per identity.
        var tag = new string(Enumerable.Range(0, 6).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());
        return new TestIdentity(aadhaar, mobile, "Test", "Person" + tag);
    }

    public static TestIdentity NewMobileOnly() => NewIdentity();
}

/// <summary>
/// The Health ID host with the default test settings, shared by the classes of <see cref="SharedHealthIdHost"/>: as
/// many fresh identities as 16 classes' own hosts would have had together, so no class runs out.
/// </summary>
public sealed class SharedHealthIdHostFixture() : HealthIdHostFixture(16 * IdentityCount);

/// <summary>
/// The Health ID classes that need only the default test settings share one host (see <see cref="SharedSandboxHost"/>
/// for why) and run one after another. Every test takes its own identities, mobiles and accounts (and counts only
/// its own records), OTP and abuse limits are raised out of the way, and none restarts the host or reads its log.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedHealthIdHost : ICollectionFixture<SharedHealthIdHostFixture>
{
    public const string Name = "shared health id host";
}

/// <summary>
/// The same host with a 2-second resend wait and 3 OTP requests per mobile an hour, for the resend cases (the
/// defaults, 60 s and 5, would make them slow).
/// </summary>
public sealed class ResendOtpHostFixture : HealthIdHostFixture
{
    public const int ResendAfterSeconds = 2;
    public const int MaxRequestsPerMobile = 3;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["HealthId__Otp__ResendAfterSeconds"] = ResendAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HealthId__Otp__MaxRequestsPerMobile"] = MaxRequestsPerMobile.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The same host with a 2-second OTP validity, for the expiry case.</summary>
public sealed class ShortOtpHostFixture : HealthIdHostFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings =>
        new Dictionary<string, string?> { ["HealthId__Otp__ValiditySeconds"] = "2" };
}

/// <summary>Health ID flows over HTTP, reading OTPs from the sandbox outbox.</summary>
public static class HealthIdApi
{
    public static readonly object Consent = new { code = "abha-enrollment", version = "1.4" };

    public static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/" + path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, "api/" + path);
        if (body is not null) request.Content = JsonContent.Create(body);
        request.Headers.Authorization = new("Bearer", token);
        return client.SendAsync(request);
    }

    public static async Task<string> RequestOtpAsync(HttpClient client, string path, string loginHint, string loginId)
    {
        var json = await OkJsonAsync(await PostAsync(client, path, new { scope = new[] { "abha-enrol" }, loginHint, loginId }));
        return json.GetProperty("txnId").GetString()!;
    }

    /// <summary>The OTP of <paramref name="txnId"/> from the sandbox outbox (bounded wait).</summary>
    public static async Task<string> ReadOtpAsync(HttpClient client, string mobile, string txnId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var json = await OkJsonAsync(await client.GetAsync($"api/sandbox/otp-outbox?mobile={mobile}"));
            foreach (var m in json.GetProperty("messages").EnumerateArray())
            {
                if (m.GetProperty("txnId").GetString() == txnId) return m.GetProperty("otp").GetString()!;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no OTP for {txnId} in the outbox");
            await Task.Delay(200);
        }
    }

    public static object OtpAuth(string txnId, string otp, string? mobile = null) =>
        new { authMethods = new[] { "otp" }, otp = new { txnId, otpValue = otp, mobile } };

    public static Task<HttpResponseMessage> EnrolByAadhaarAsync(HttpClient client, string txnId, string otp, string path = "v3/enrollment/enrol/byAadhaar", string? token = null) =>
        PostAsync(client, path, new { authData = OtpAuth(txnId, otp), consent = Consent }, token);

    /// <summary>Aadhaar enrolment end to end; returns the response JSON.</summary>
    public static async Task<JsonElement> EnrolAsync(HttpClient client, TestIdentity identity)
    {
        var txnId = await RequestOtpAsync(client, "v3/enrollment/request/otp", "aadhaar", identity.Aadhaar);
        var otp = await ReadOtpAsync(client, identity.Mobile, txnId);
        return await OkJsonAsync(await EnrolByAadhaarAsync(client, txnId, otp));
    }

    public static string Token(JsonElement enrolment) => enrolment.GetProperty("tokens").GetProperty("token").GetString()!;

    public static string Number(JsonElement enrolment) => enrolment.GetProperty("ABHAProfile").GetProperty("ABHANumber").GetString()!;

    public static string WrongOtp(string otp) => otp == "000000" ? "111111" : "000000";

    /// <summary>
    /// The confirmation OTP step before deactivation (<c>de-activate</c>) or deletion (<c>delete</c>): requests it
    /// with the patient's token and reads the code the account's mobile got.
    /// </summary>
    public static async Task<(string TxnId, string Otp)> ConfirmationOtpAsync(HttpClient client, string token, string mobile, string action)
    {
        var json = await OkJsonAsync(await SendAsync(client, HttpMethod.Post, "v3/profile/account/request/otp", token,
            new { scope = new[] { "abha-profile", action } }));
        var txnId = json.GetProperty("txnId").GetString()!;
        return (txnId, await ReadOtpAsync(client, mobile, txnId));
    }

    /// <summary>Deactivates or deletes (<paramref name="action"/> as for <see cref="ConfirmationOtpAsync"/>) with a fresh OTP.</summary>
    public static async Task<JsonElement> ConfirmedAsync(HttpClient client, string token, string mobile, string action)
    {
        var (txnId, otp) = await ConfirmationOtpAsync(client, token, mobile, action);
        return await OkJsonAsync(await ConfirmedRequestAsync(client, token, action, new { authData = OtpAuth(txnId, otp) }));
    }

    public static Task<HttpResponseMessage> ConfirmedRequestAsync(HttpClient client, string token, string action, object? body) =>
        action == "delete"
            ? SendAsync(client, HttpMethod.Delete, "v3/profile/account", token, body)
            : SendAsync(client, HttpMethod.Post, "v3/profile/account/deactivate", token, body);
}
