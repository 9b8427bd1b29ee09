using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform;

[Collection(SharedSandboxHost.Name)]
public sealed class PlatformEndpointTests(SandboxHostFixture sandbox)
{
    [Fact]
    public async Task Health_WhenEveryDependencyAnswers_Returns200ListingEachDependency()
    {
        using var response = await sandbox.Client.GetAsync("api/health");

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var dependencies = JsonDocument.Parse(body).RootElement.GetProperty("dependencies").EnumerateArray()
            .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("status").GetString());
        Assert.Equal("up", dependencies["cosmos"]);
        Assert.Equal("up", dependencies["storage"]);
        Assert.Equal("up", dependencies["keys"]);
    }

    [Fact]
    public async Task AnyResponse_EchoesTheCallersRequestId()
    {
        var requestId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/openapi.json");
        request.Headers.Add("REQUEST-ID", requestId);

        using var response = await sandbox.Client.SendAsync(request);

        Assert.Equal(requestId, response.Headers.GetValues("REQUEST-ID").Single());
    }

    [Fact]
    public async Task AnyResponse_WithoutRequestId_CarriesAGeneratedOne()
    {
        using var response = await sandbox.Client.GetAsync("api/openapi.json");

        Assert.True(Guid.TryParse(response.Headers.GetValues("REQUEST-ID").Single(), out _));
    }

    [Fact]
    public async Task RoleRestrictedEndpoint_WithoutToken_Returns401ProblemWithTheRequestId()
    {
        using var response = await sandbox.Client.GetAsync("api/ops/orchestrations/unknown");

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        Assert.Equal(response.Headers.GetValues("REQUEST-ID").Single(), problem.GetProperty("requestId").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task RoleRestrictedEndpoint_WithForgedToken_Returns401InvalidToken()
    {
        var token = await sandbox.TokenAsync("PLATFORM_ADMIN");
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + parts[2][..^4] + (parts[2].EndsWith("AAAA") ? "BBBB" : "AAAA");

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, "api/ops/orchestrations/unknown", forged));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized, "INVALID_TOKEN");
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task RoleRestrictedEndpoint_WithTokenOfAnotherRole_Returns403()
    {
        var token = await sandbox.TokenAsync("HIU");

        using var response = await sandbox.Client.SendAsync(sandbox.Request(HttpMethod.Get, "api/ops/orchestrations/unknown", token));

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task OversizeBody_IsRefusedWith413BeforeTheFunctionRuns()
    {
        var token = await sandbox.TokenAsync("PLATFORM_ADMIN");
        using var request = sandbox.Request(HttpMethod.Post, "api/ops/selftest", token);
        request.Content = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        request.Content.Headers.ContentType = new("application/json");

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE");
        Assert.True(response.Headers.ConnectionClose, "a refused, unread body ends the connection");
    }

    [Fact]
    public async Task AProblemResponse_HasTheTypeTheReadmeDocuments_TheCodeInKebabCase()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/sandbox/tokens")
        {
            Content = new StringContent("subject=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var response = await sandbox.Client.SendAsync(request);

        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", problem.GetProperty("code").GetString());
        Assert.Equal("urn:ndhm:problem:unsupported-media-type", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task WrongContentType_IsRefusedWith415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/sandbox/tokens")
        {
            Content = new StringContent("subject=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE");
    }

    [Fact]
    public async Task MalformedJson_IsRefusedWith400MalformedJson()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/sandbox/tokens")
        {
            Content = new StringContent("{\"subject\": ", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await sandbox.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.BadRequest, "MALFORMED_JSON");
    }

    [Fact]
    public async Task Jwks_PublishesTheKeyThatSignsTokens()
    {
        var token = await sandbox.TokenAsync("HIP");
        var header = JsonDocument.Parse(Base64Url(token.Split('.')[0])).RootElement;

        using var response = await sandbox.Client.GetAsync("api/.well-known/jwks.json");

        response.EnsureSuccessStatusCode();
        var kids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("keys")
            .EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(header.GetProperty("kid").GetString(), kids);
    }

    private static byte[] Base64Url(string s) =>
        Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/').PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
}
