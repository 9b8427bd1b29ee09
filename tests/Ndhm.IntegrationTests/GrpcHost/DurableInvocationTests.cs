using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Ndhm.IntegrationTests.Support;

namespace Ndhm.IntegrationTests.GrpcHost;

/// <summary>
/// Durable Functions on both hosts: an orchestration started over HTTP (<c>[DurableClient]</c>), run by the host's
/// task hub on Azurite (through the harness: DTFx dispatching OrchestratorRequest/Response and activity invocations
/// to the worker, the worker's client calling the harness's TaskHubSidecarService) and followed over HTTP until it
/// completes. Each host must give the same answer.
/// </summary>
// One harness at a time: each starts a worker process, and several cold starts at once miss the start-up deadline.
[Collection("gRPC host harness")]
public sealed class DurableInvocationTests(BothHostsFixture hosts) : IClassFixture<BothHostsFixture>
{
    private static readonly TimeSpan CompletionLimit = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(HostKind.Local)]
    [InlineData(HostKind.GrpcWorker)]
    public async Task Given_the_durable_floor_When_started_over_HTTP_Then_it_completes_with_its_activity_echo_and_the_status_shape(HostKind kind)
    {
        var host = hosts[kind];
        var token = await AdminTokenAsync(host);

        var (instanceId, statusUrl) = await StartAsync(host, token, "api/ops/durable-floor", body: null);
        var status = await WaitForEndAsync(host, token, instanceId);

        Assert.EndsWith($"/api/ops/orchestrations/{instanceId}", statusUrl);
        Assert.Equal(
            ["createdAt", "customStatus", "instanceId", "lastUpdatedAt", "name", "output", "runtimeStatus"],
            status.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.Equal(instanceId, status.GetProperty("instanceId").GetString());
        Assert.Equal("DurableFloor", status.GetProperty("name").GetString());
        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        // The floor's token (a new GUID, "N" format) went to the activity as its input and came back as its result.
        Assert.Matches("^[0-9a-f]{32}$", status.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("customStatus").ValueKind);
        Assert.True(status.GetProperty("createdAt").GetDateTimeOffset() <= status.GetProperty("lastUpdatedAt").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(HostKind.Local)]
    [InlineData(HostKind.GrpcWorker)]
    public async Task Given_the_self_test_with_a_pause_When_started_Then_it_waits_on_a_durable_timer_and_completes_healthy(HostKind kind)
    {
        var host = hosts[kind];
        var token = await AdminTokenAsync(host);

        var (instanceId, _) = await StartAsync(host, token, "api/ops/selftest", new { pauseSeconds = 2 });
        var status = await WaitForEndAsync(host, token, instanceId);

        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        var output = status.GetProperty("output");
        Assert.True(output.GetProperty("healthy").GetBoolean(), output.ToString());
        Assert.Equal(2, output.GetProperty("pauseSeconds").GetInt32());
        // Two probe passes with the timer between them. On the local host's DTFx Azure Storage backend the second pass's
        // context time can read a little under the pause after the first (a fresh run saw 1.984 s for 2 s; cause not
        // traced): more than 1 s still tells a timer from none.
        var started = output.GetProperty("startedAt").GetDateTimeOffset();
        var finished = output.GetProperty("finishedAt").GetDateTimeOffset();
        Assert.True(finished - started > TimeSpan.FromSeconds(1), $"{started:O} .. {finished:O}");
        Assert.NotEmpty(output.GetProperty("secondPass").EnumerateArray());
        // The custom status the orchestrator set before the timer reached the instance's state.
        Assert.Equal("paused", status.GetProperty("customStatus").GetProperty("stage").GetString());
    }

    [Theory]
    [InlineData(HostKind.Local)]
    [InlineData(HostKind.GrpcWorker)]
    public async Task Given_an_unknown_instance_id_When_its_status_is_asked_Then_the_answer_is_not_found(HostKind kind)
    {
        var host = hosts[kind];
        var token = await AdminTokenAsync(host);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/ops/orchestrations/{Guid.NewGuid():N}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    private static Task<string> AdminTokenAsync(LocalHostProcess host) =>
        SandboxHostFixture.TokenForAsync(host.Client, "durable-" + Guid.NewGuid().ToString("N")[..8], "PLATFORM_ADMIN");

    private static async Task<(string InstanceId, string StatusUrl)> StartAsync(LocalHostProcess host, string token, string path, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}\n{Tail(host)}");
        var accepted = JsonDocument.Parse(text).RootElement;
        return (accepted.GetProperty("instanceId").GetString()!, accepted.GetProperty("statusUrl").GetString()!);
    }

    private static async Task<JsonElement> WaitForEndAsync(LocalHostProcess host, string token, string instanceId)
    {
        var deadline = DateTime.UtcNow + CompletionLimit;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/ops/orchestrations/{instanceId}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await host.Client.SendAsync(request);
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{last}\n{Tail(host)}");
            var status = JsonDocument.Parse(last[4..]).RootElement.Clone();
            if (status.GetProperty("runtimeStatus").GetString() is "Completed" or "Failed" or "Terminated")
            {
                return status;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"orchestration {instanceId} did not end within {CompletionLimit}: {last}\n{Tail(host)}");
    }

    private static string Tail(LocalHostProcess host) => host.Output[^Math.Min(host.Output.Length, 4000)..];
}
