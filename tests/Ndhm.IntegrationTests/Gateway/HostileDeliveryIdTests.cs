using System.Net;
using Ndhm.Core.Security;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Gateway;

/// <summary>Delivery ids come from the path and reach a Cosmos point read: hostile ones get 400, never a lookup.</summary>
[Collection(SharedGatewayHost.Name)]
public sealed class HostileDeliveryIdTests(GatewayHostFixture gateway)
{
    [Theory]
    [InlineData("..%5C..%5Cx", "INVALID_ID")]
    [InlineData("a%3Fb", "INVALID_ID")]
    [InlineData("a%23b", "INVALID_ID")]
    [InlineData("a%2Fb", "INVALID_REQUEST")]
    [InlineData("a%1Bb", "INVALID_REQUEST")]
    public async Task GivenAHostileDeliveryId_WhenAPartnerReadsOrReplaysIt_Then400WithACode(string escapedId, string code)
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var token = await gateway.SessionTokenAsync(clientId, secret);

        using var read = await gateway.Client.SendAsync(GatewayHostFixture.Request(HttpMethod.Get, $"api/v1/deliveries/{escapedId}", token));
        using var replay = await gateway.Client.SendAsync(GatewayHostFixture.Request(HttpMethod.Post, $"api/v1/deliveries/{escapedId}/replay", token));

        await Problems.AssertProblemAsync(read, HttpStatusCode.BadRequest, code);
        await Problems.AssertProblemAsync(replay, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task GivenAVeryLongDeliveryId_WhenAPartnerReadsIt_Then400InvalidId()
    {
        var (clientId, secret) = await gateway.RegisterPartnerAsync("http://localhost:9/bridge", Roles.Hiu);
        var token = await gateway.SessionTokenAsync(clientId, secret);

        using var read = await gateway.Client.SendAsync(GatewayHostFixture.Request(HttpMethod.Get, "api/v1/deliveries/" + new string('d', 300), token));

        await Problems.AssertProblemAsync(read, HttpStatusCode.BadRequest, "INVALID_ID");
    }
}
