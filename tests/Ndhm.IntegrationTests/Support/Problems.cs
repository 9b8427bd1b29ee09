using System.Net;
using System.Text.Json;

namespace Ndhm.IntegrationTests.Support;

public static class Problems
{
    /// <summary>Asserts an RFC 9457 problem+json response with the given status and code; returns its body.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal(TypeOf(code), problem.GetProperty("type").GetString());
        return problem;
    }

    /// <summary>The documented rule (README, "Platform conventions"): the code in lower case, hyphens for underscores.</summary>
    public static string TypeOf(string code) => "urn:ndhm:problem:" + code.ToLowerInvariant().Replace('_', '-');
}
