using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.Platform.BadInput;

/// <summary>
/// Regression tests for what the generated bad-input suite found: dot segments in a path and paths or methods no
/// function answers got the router's empty 404/405 (or, after normalisation, another route).
/// </summary>
[Collection(SharedSandboxHost.Name)]
public sealed class UnroutedRequestTests(SandboxHostFixture sandbox)
{
    [Theory]
    [InlineData("api/v1/partners/../secret")]
    [InlineData("api/v1/facilities/%2E%2E")]
    [InlineData("api/v1/facilities/%2e")]
    [InlineData("api/./health")]
    public async Task GivenADotSegmentInThePath_WhenSent_ThenItIsRefusedWith400BeforeRouting(string path)
    {
        var token = await sandbox.TokenAsync("PLATFORM_ADMIN");

        var answer = await SendAsync(HttpMethod.Get, path, token);

        Assert.Equal(400, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal("INVALID_REQUEST", JsonDocument.Parse(answer.Body).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenADotSegmentOnAnAbdmPath_WhenSent_ThenTheRefusalIsInAbdmsErrorShape()
    {
        var answer = await SendAsync(HttpMethod.Post, "api/v0.5/consents/../fetch", null);

        Assert.Equal(400, answer.Status);
        var error = JsonDocument.Parse(answer.Body).RootElement.GetProperty("error");
        Assert.Equal("ABDM-1017", error.GetProperty("code").GetString());
        Assert.Equal("INVALID_REQUEST", error.GetProperty("ndhmCode").GetString());
    }

    [Fact]
    public async Task GivenAPathNoFunctionAnswers_WhenSent_ThenItIs404RouteNotFoundProblem()
    {
        using var response = await sandbox.Client.GetAsync("api/v1/no-such-operation");

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "ROUTE_NOT_FOUND");
    }

    [Fact]
    public async Task GivenAMethodTheRouteDoesNotTake_WhenSent_ThenItIs405MethodNotAllowedProblem()
    {
        using var response = await sandbox.Client.DeleteAsync("api/health");

        await Problems.AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed, "METHOD_NOT_ALLOWED");
    }

    // A raw request: HttpClient would remove the dot segments before sending.
    private Task<RawHttp.Answer> SendAsync(HttpMethod method, string path, string? token)
    {
        var headers = new Dictionary<string, string>();
        if (token is not null) headers["Authorization"] = "Bearer " + token;
        return SendOrFailAsync(method, path, headers);
    }

    private async Task<RawHttp.Answer> SendOrFailAsync(HttpMethod method, string path, Dictionary<string, string> headers)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await RawHttp.SendAsync(sandbox.Host.Port, method, path, headers, null, false, cts.Token)
               ?? throw new InvalidOperationException("no answer");
    }
}
