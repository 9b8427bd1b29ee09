using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>
/// A host whose Cosmos emulator dies keeps answering: health names the dead dependency and requests fail fast
/// with 503 problem+json. Uses its own emulator instance so the shared sandbox is untouched.
/// </summary>
public sealed class DependencyOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WhenCosmosDies_HealthAndCosmosBackedRequestsAnswer503Fast_AndRecoverWhenItReturns()
    {
        await using var cosmos = await CosmosEmulatorProcess.StartAsync();
        await using var host = await LocalHostProcess.StartAsync(new Dictionary<string, string?>
        {
            ["Cosmos__Endpoint"] = cosmos.Endpoint.ToString(),
        });
        await WaitForHealthAsync(host, HttpStatusCode.OK);
        var hipToken = await SandboxHostFixture.TokenForAsync(host.Client, "hip-outage", "HIP");

        await cosmos.StopAsync();
        // A hang detector, not a performance target: the health check bounds itself to a few seconds.
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var clock = Stopwatch.StartNew();
        using var response = await host.Client.GetAsync("api/health", bounded.Token);
        output.WriteLine($"health answered {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms with Cosmos down");

        var problem = await Problems.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");
        Assert.Contains("cosmos", problem.GetProperty("detail").GetString());
        var states = problem.GetProperty("dependencies").EnumerateArray()
            .ToDictionary(d => d.GetProperty("name").GetString()!, d => d.GetProperty("status").GetString());
        Assert.Equal("down", states["cosmos"]);
        Assert.Equal("up", states["storage"]);
        Assert.True(response.Headers.RetryAfter is not null);

        // A request that needs Cosmos fails fast with 503 problem+json instead of hanging.
        using var lookup = new HttpRequestMessage(HttpMethod.Get, "api/v3/verification/abha/91-7654-9422-6028");
        lookup.Headers.Authorization = new("Bearer", hipToken);
        clock.Restart();
        using var failed = await host.Client.SendAsync(lookup, bounded.Token);
        output.WriteLine($"Cosmos-backed lookup answered {(int)failed.StatusCode} in {clock.ElapsedMilliseconds} ms with Cosmos down");
        await Problems.AssertProblemAsync(failed, HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE");

        await cosmos.RestartAsync();
        await WaitForHealthAsync(host, HttpStatusCode.OK);
    }

    private static async Task WaitForHealthAsync(LocalHostProcess host, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        HttpStatusCode last = 0;
        string body = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await host.Client.GetAsync("api/health");
            last = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
            if (last == expected)
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"health stayed {(int)last}: {body}");
    }
}
