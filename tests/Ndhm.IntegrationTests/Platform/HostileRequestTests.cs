using System.Net;
using System.Text;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>Findings of a hostile probe of the running sandbox, each driven through the real HTTP surface.</summary>
public sealed class HostileRequestTests(SandboxHostFixture sandbox) : IClassFixture<SandboxHostFixture>
{
    [Theory]
    [InlineData("api/v3/enrollment/request/otp")]
    [InlineData("api/v1/sessions")]
    public async Task GivenAChunkedBodyOverTheLimit_WhenPosted_ThenItIsRefusedWith413Problem(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("{\"x\":\"" + new string('a', 1536 * 1024) + "\"}"))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
    }

    [Fact]
    public async Task GivenAForeignHostHeader_WhenTheSelfTestIsStarted_ThenItsLinksUseTheConfiguredBaseUrl()
    {
        var token = await sandbox.TokenAsync("PLATFORM_ADMIN");
        using var request = sandbox.Request(HttpMethod.Post, "api/ops/selftest", token);
        request.Headers.Host = "evil.example";

        using var response = await sandbox.Client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var expected = $"http://localhost:{sandbox.Host.Port}/api/ops/orchestrations/";
        Assert.StartsWith(expected, response.Headers.Location!.ToString());
        Assert.StartsWith(expected, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("statusUrl").GetString());
        Assert.DoesNotContain("evil.example", body);
    }
}
