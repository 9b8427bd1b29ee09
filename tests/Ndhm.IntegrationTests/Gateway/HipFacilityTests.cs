using System.Net;
using System.Net.Http.Headers;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>Only verified facilities may act as HIPs: at registration and on every request naming a HIP.</summary>
[Collection(SharedGatewayHost.Name)]
public sealed class HipFacilityTests(GatewayHostFixture gateway)
{
    [Fact]
    public async Task GivenAHipServingAnUnverifiedOrUnknownFacility_WhenRegistered_Then409WithTheRegistryCode()
    {
        var (unverified, _) = await gateway.RegisterFacilityAsync(hipSubject: "hip-" + Guid.NewGuid().ToString("N")[..8]);

        using var notVerified = await gateway.SendRegistrationAsync(Registration([Roles.Hip], [unverified]));
        using var notFound = await gateway.SendRegistrationAsync(Registration([Roles.Hip], ["IN2899999999"]));

        await Problems.AssertProblemAsync(notVerified, HttpStatusCode.Conflict, "FACILITY_NOT_VERIFIED");
        await Problems.AssertProblemAsync(notFound, HttpStatusCode.Conflict, "FACILITY_NOT_FOUND");
    }

    [Fact]
    public async Task GivenAPartnerThatIsNotAHip_WhenRegisteredWithAnUnverifiedFacility_ThenItIsRegistered()
    {
        var (unverified, _) = await gateway.RegisterFacilityAsync(hipSubject: "hip-" + Guid.NewGuid().ToString("N")[..8]);

        using var response = await gateway.SendRegistrationAsync(Registration([Roles.Hiu], [unverified]));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task GivenAHipNamingItsVerifiedFacility_WhenItCallsTheGateway_ThenAcceptedAndTheCallbackNamesThatFacility()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => 202);
        var (facility, _) = await gateway.RegisterFacilityAsync();
        var (clientId, secret) = await gateway.RegisterPartnerAsync(receiver.BaseUrl, [Roles.Hip], [facility]);
        var token = await gateway.SessionTokenAsync(clientId, secret);

        using var response = await gateway.Client.SendAsync(Heartbeat(token, facility));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await gateway.WaitForDeliveryAsync(token, d => d.GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30));
        Assert.Equal(facility, Assert.Single(receiver.Requests).Headers["X-HIP-ID"]);
    }

    [Fact]
    public async Task GivenAHipNamingAVerifiedFacilityItDoesNotServe_WhenItCallsTheGateway_Then403NotServed()
    {
        var (own, _) = await gateway.RegisterFacilityAsync();
        var (someoneElses, _) = await gateway.RegisterFacilityAsync();
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Hip], [own]);

        using var response = await gateway.Client.SendAsync(Heartbeat(await gateway.SessionTokenAsync(clientId, secret), someoneElses));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FACILITY_NOT_SERVED");
    }

    [Fact]
    public async Task GivenAFacilityWhoseVerificationWasWithdrawnAfterRegistration_WhenItsHipCallsTheGateway_Then403NotVerified()
    {
        var owner = "hip-" + Guid.NewGuid().ToString("N")[..8];
        var (facility, _) = await gateway.RegisterFacilityAsync(hipSubject: owner);
        var verifiedETag = await VerifyAsync(facility);
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", [Roles.Hip], [facility]);
        var token = await gateway.SessionTokenAsync(clientId, secret);
        using (var before = await gateway.Client.SendAsync(Heartbeat(token, facility)))
        {
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        }

        // The owner renames the facility: a partner's change to verified facts withdraws verification.
        using (var rename = GatewayHostFixture.Request(HttpMethod.Put, $"api/v1/facilities/{facility}",
                   await SandboxHostFixture.TokenForAsync(gateway.Client, owner, Roles.Hip),
                   Registry.RegistryApi.Facility("Renamed Hospital", Registry.RegistryApi.UniqueDistrict())))
        {
            rename.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(verifiedETag));
            using var renamed = await gateway.Client.SendAsync(rename);
            Assert.True(renamed.StatusCode == HttpStatusCode.OK, await renamed.Content.ReadAsStringAsync());
        }

        using var after = await gateway.Client.SendAsync(Heartbeat(token, facility));

        await Problems.AssertProblemAsync(after, HttpStatusCode.Forbidden, "FACILITY_NOT_VERIFIED");
    }

    private static object Registration(string[] roles, string[] facilities) => new
    {
        clientId = "it-" + Guid.NewGuid().ToString("N")[..12], name = "HIP rule test", roles, bridgeUrl = "http://localhost:9/bridge", facilities,
    };

    private static HttpRequestMessage Heartbeat(string token, string hipId)
    {
        var request = GatewayHostFixture.Request(HttpMethod.Post, "api/v1/gateway/heartbeat", token, new { message = "as a HIP" },
            Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
        request.Headers.TryAddWithoutValidation("X-HIP-ID", hipId);
        return request;
    }

    private async Task<string> VerifyAsync(string facility)
    {
        using var request = GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/facilities/{facility}/verify", await gateway.AdminTokenAsync());
        using var response = await gateway.Client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response.Headers.ETag!.ToString();
    }
}
