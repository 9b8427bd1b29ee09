using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.HealthId;
using Ndhm.IntegrationTests.Support;
using static Ndhm.IntegrationTests.HealthId.HealthIdApi;

namespace Ndhm.IntegrationTests.Audit;

/// <summary>
/// Health ID on the audit trail over the real host: a partner's verification lookup and the patient's login land
/// on the patient's chain, which the patient reads (partner named, newest first) and an admin verifies.
/// </summary>
[Collection(SharedHealthIdHost.Name)]
public sealed class HealthIdAuditTests(SharedHealthIdHostFixture sandbox)
{
    private HttpClient Client => sandbox.Client;

    [Fact]
    public async Task GivenAnEnrolledAbha_WhenAPartnerVerifiesItAndThePatientLogsInAndReadsTheProfile_ThenThePatientsTrailListsEach_AndTheChainIsIntact()
    {
        var identity = sandbox.NextIdentity();
        var enrolled = await EnrolAsync(Client, identity);
        var number = Number(enrolled);
        var digits = number.Replace("-", "", StringComparison.Ordinal);
        var (clientId, partnerToken) = await PartnerSessionAsync(Roles.Hip);

        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v3/verification/abha/{number}", partnerToken));
        var txnId = await RequestOtpAsync(Client, "v3/profile/login/request/otp", "abha-number", number);
        var otp = await ReadOtpAsync(Client, identity.Mobile, txnId);
        var login = await OkJsonAsync(await PostAsync(Client, "v3/profile/login/verify", new { authData = OtpAuth(txnId, otp) }));
        var patientToken = login.GetProperty("tokens").GetProperty("token").GetString()!;
        await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v3/profile/account", patientToken));

        var trail = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, "v1/patients/me/audit-trail", patientToken));
        var admin = await SandboxHostFixture.TokenForAsync(Client, "admin-" + Guid.NewGuid().ToString("N")[..8], Roles.PlatformAdmin);
        var report = await OkJsonAsync(await SendAsync(Client, HttpMethod.Get, $"v1/admin/audit/chains/patient:{digits}/verify", admin));

        var entries = trail.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["profile.read", "login", "login.otp.request", "abha.verify", "abha.enrol"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal([5L, 4L, 3L, 2L, 1L], entries.Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Equal((digits, "created"), (entries[4].GetProperty("actor").GetString(), entries[4].GetProperty("outcome").GetString()));
        var (loggedIn, otpRequested, verified) = (entries[1], entries[2], entries[3]);
        Assert.Equal(digits, entries[0].GetProperty("actor").GetString());
        Assert.Equal((digits, "success"), (loggedIn.GetProperty("actor").GetString(), loggedIn.GetProperty("outcome").GetString()));
        // Nobody is authenticated when a login OTP is asked for: the actor is anonymous, the request id says which request.
        Assert.Equal(("anonymous", "sent"), (otpRequested.GetProperty("actor").GetString(), otpRequested.GetProperty("outcome").GetString()));
        Assert.Equal(clientId, verified.GetProperty("partner").GetString());
        Assert.Equal("ACTIVE", verified.GetProperty("outcome").GetString());
        Assert.Equal(["HIP"], verified.GetProperty("actorRoles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(report.GetProperty("intact").GetBoolean(), report.ToString());
        Assert.Equal(5, report.GetProperty("entries").GetInt64());
    }

    /// <summary>A registered partner's client-credentials session (its token carries the partner's client id).</summary>
    private async Task<(string ClientId, string Token)> PartnerSessionAsync(params string[] roles)
    {
        var admin = await SandboxHostFixture.TokenForAsync(Client, "admin-" + Guid.NewGuid().ToString("N")[..8], Roles.PlatformAdmin);
        var clientId = "it-" + Guid.NewGuid().ToString("N")[..12];
        using var registration = await SendAsync(Client, HttpMethod.Post, "v1/partners", admin,
            new { clientId, name = "Audit test partner", roles, bridgeUrl = "http://localhost:9/bridge", facilities = Array.Empty<string>() });
        var registered = await registration.Content.ReadAsStringAsync();
        Assert.True((int)registration.StatusCode == 201, registered);
        var secret = JsonDocument.Parse(registered).RootElement.GetProperty("clientSecret").GetString()!;
        using var session = await Client.PostAsJsonAsync("api/v1/sessions", new { clientId, clientSecret = secret, grantType = "client_credentials" });
        var body = await session.Content.ReadAsStringAsync();
        Assert.True(session.IsSuccessStatusCode, body);
        return (clientId, JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString()!);
    }
}
