using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Ndhm.Core.Errors;
using Ndhm.Triggers.Http;

namespace Ndhm.UnitTests.Abdm;

public sealed class AbdmErrorResultTests
{
    [Theory]
    [InlineData("/api/v0.5/users/auth/init", true)]
    [InlineData("/api/V0.5/patients/find", true)]
    [InlineData("/api/v3/token/generate-token", true)]
    [InlineData("/api/v1/gateway/heartbeat", false)]
    [InlineData("/api/v0.50/x", false)]
    [InlineData("/api/v3/hip/token/on-generate-token", false)]
    public void GivenAPath_WhenClassified_ThenOnlyAbdmPathsGetAbdmErrors(string path, bool abdm)
    {
        var http = new DefaultHttpContext();
        http.Request.Path = path;

        var result = AbdmErrorResult.For(http, new DomainException(ErrorKind.Validation, "INVALID_REQUEST", "t"));

        Assert.Equal(abdm, result is AbdmErrorResult);
        Assert.Equal(!abdm, result is ProblemResult);
    }

    [Fact]
    public async Task GivenARateLimitOnAnAbdmPath_WhenWritten_Then429WithRetryAfterAndTheAbdmBody()
    {
        var http = new DefaultHttpContext();
        http.Request.Path = "/api/v0.5/users/auth/init";
        http.Response.Body = new MemoryStream();
        var error = new DomainException(ErrorKind.TooManyRequests, ErrorCodes.RateLimited, "Too many requests.") { RetryAfterSeconds = 7 };

        await AbdmErrorResult.For(http, error).ExecuteResultAsync(new ActionContext(http, new RouteData(), new ActionDescriptor()));

        Assert.Equal(429, http.Response.StatusCode);
        Assert.Equal("7", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("application/json", http.Response.ContentType);
        http.Response.Body.Position = 0;
        var body = JsonDocument.Parse(http.Response.Body).RootElement;
        Assert.Equal("ABDM-1070", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("RATE_LIMITED", body.GetProperty("error").GetProperty("ndhmCode").GetString());
        Assert.Equal("Too many requests.", body.GetProperty("error").GetProperty("message").GetString());
    }
}
