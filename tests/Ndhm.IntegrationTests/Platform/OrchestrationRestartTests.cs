using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.Platform;

/// <summary>
/// Durable state lives in storage, not in the host: an orchestration started over HTTP finishes after the host
/// process is killed (SIGKILL, no graceful stop) in the middle of it and started again.
/// </summary>
public sealed class OrchestrationRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task OrchestrationStartedOverHttp_CompletesAfterTheHostIsKilledAndRestartedMidway()
    {
        await using var host = await LocalHostProcess.StartAsync();
        var token = await SandboxHostFixture.TokenForAsync(host.Client, "ops-test", "PLATFORM_ADMIN");
        using var start = new HttpRequestMessage(HttpMethod.Post, "api/ops/selftest") { Content = JsonContent.Create(new { pauseSeconds = 5 }) };
        start.Headers.Authorization = new("Bearer", token);

        using var accepted = await host.Client.SendAsync(start);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var instanceId = JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("instanceId").GetString()!;
        await WaitForAsync(host, token, instanceId, s => s.customStatus?.Contains("paused") == true, TimeSpan.FromSeconds(90));
        await host.KillAsync();
        await host.RestartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var final = await WaitForAsync(host, token, instanceId, s => s.runtimeStatus is "Completed" or "Failed" or "Terminated", TimeSpan.FromSeconds(150));
        output.WriteLine($"completed {clock.ElapsedMilliseconds} ms after the restart (the dead worker's partition leases expire first)");

        Assert.Equal("Completed", final.runtimeStatus);
    }

    private static async Task<(string? runtimeStatus, string? customStatus)> WaitForAsync(
        LocalHostProcess host, string token, string instanceId,
        Func<(string? runtimeStatus, string? customStatus), bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        (string?, string?) last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/ops/orchestrations/{instanceId}");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await host.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                last = (status.GetProperty("runtimeStatus").GetString(),
                    status.TryGetProperty("customStatus", out var custom) ? custom.ToString() : null);
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"orchestration {instanceId} stuck at {last}:\n{host.Output[^Math.Min(host.Output.Length, 4000)..]}");
    }
}
