using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Ndhm.Core.Health;
using Ndhm.IntegrationTests.Support;
using Ndhm.Triggers.Operations;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.LocalHost;

/// <summary>Probes with a scripted answer: the second call of <c>flaky</c> fails.</summary>
internal sealed class ScriptedProbe(string name, Func<int, bool> healthyOnCall) : IDependencyProbe
{
    private int calls;

    public string Name => name;

    public Task<ProbeResult> CheckAsync(CancellationToken ct)
    {
        var call = Interlocked.Increment(ref calls);
        var healthy = healthyOnCall(call);
        return Task.FromResult(new ProbeResult(name, healthy, 1, healthy ? null : "scripted failure"));
    }
}

public sealed class PlatformSelfTestTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static IDependencyProbe[] Probes() =>
    [
        new ScriptedProbe("storage", _ => true),
        new ScriptedProbe("cosmos", call => call == 1),
    ];

    /// <summary>The orchestrator alone, on the SDK's in-memory test host (no storage).</summary>
    [Fact]
    public async Task GivenTwoProbesAndAPause_WhenTheOrchestratorRunsInMemory_ThenBothPassesAreReported()
    {
        var activities = new SelfTestActivities(Probes(), NullLogger<SelfTestActivities>.Instance);
        await using var testHost = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<SelfTestRequest, SelfTestReport>(PlatformSelfTest.Name, (context, _) => PlatformSelfTest.Run(context));
            registry.AddActivityFunc<string?, List<string>>(SelfTestActivities.ListProbes, (_, id) => activities.ListProbeNames(id));
            registry.AddActivityFunc<string, ProbeOutcome>(SelfTestActivities.RunProbe, (_, name) => activities.RunProbeByName(name, CancellationToken.None));
        }, new DurableTaskTestHostOptions { Port = FreePort.Next() });
        using var cts = new CancellationTokenSource(Bound);

        var id = await testHost.Client.ScheduleNewOrchestrationInstanceAsync(PlatformSelfTest.Name, new SelfTestRequest(1), cts.Token);
        var done = await testHost.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        AssertReport(done.ReadOutputAs<SelfTestReport>()!);
    }

    /// <summary>The real functions on the local host's DTFx + Azurite runners, and the two HTTP functions.</summary>
    [Fact]
    public async Task GivenTheLocalHost_WhenTheSelfTestIsStartedOverItsEndpoint_ThenTheStatusEndpointReturnsTheReport()
    {
        var hostJson = LocalHostHarness.TestHostJson(LocalHostHarness.UniqueHubName("selftest"));
        using var host = LocalHostHarness.Build(output, [typeof(PlatformSelfTest), typeof(SelfTestActivities)], hostJson,
            new TestRecorder(), services: s =>
            {
                foreach (var probe in Probes())
                {
                    s.AddSingleton(probe);
                }
            });
        await host.StartAsync();
        using var cts = new CancellationTokenSource(Bound);
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var endpoints = new SelfTestEndpoints(new Ndhm.Triggers.Http.PublicUrls("https://ndhm.example.in"));

        var start = Request(host, "POST", "/api/ops/selftest", """{ "pauseSeconds": 1 }""");
        var accepted = Assert.IsType<AcceptedResult>(await endpoints.Start(start, client, cts.Token));
        var body = Assert.IsType<SelfTestAccepted>(accepted.Value);
        Assert.Equal($"https://ndhm.example.in/api/ops/orchestrations/{body.InstanceId}", accepted.Location);

        await client.WaitForInstanceCompletionAsync(body.InstanceId, cts.Token);
        var status = Assert.IsType<OkObjectResult>(await endpoints.Status(
            Request(host, "GET", accepted.Location!, null), body.InstanceId, client, cts.Token));
        var response = Assert.IsType<OrchestrationStatusResponse>(status.Value);
        Assert.Equal("Completed", response.RuntimeStatus);
        Assert.Equal(PlatformSelfTest.Name, response.Name);
        Assert.True(response.LastUpdatedAt >= response.CreatedAt);
        var report = response.Output!.Value;
        Assert.Equal(1, report.GetProperty("pauseSeconds").GetInt32());
        AssertReport(report.Deserialize<SelfTestReport>()!);

        // No body at all means no pause.
        var immediate = Assert.IsType<AcceptedResult>(await endpoints.Start(Request(host, "POST", "/api/ops/selftest", null), client, cts.Token));
        var immediateDone = await client.WaitForInstanceCompletionAsync(((SelfTestAccepted)immediate.Value!).InstanceId, true, cts.Token);
        Assert.Equal(0, immediateDone.ReadOutputAs<SelfTestReport>()!.PauseSeconds);
        await LocalHostHarness.StopAndDeleteHubAsync(host);
    }

    /// <summary>The floor's orchestrator alone: exactly one activity call, whose answer is the output.</summary>
    [Fact]
    public async Task GivenTheDurableFloor_WhenItRunsInMemory_ThenItCallsItsOneActivityOnceAndReturnsItsAnswer()
    {
        var activityCalls = 0;
        await using var testHost = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<string, string>(DurableFloor.Name, (context, _) => DurableFloor.Run(context));
            registry.AddActivityFunc<string, string>(DurableFloor.Activity, (_, token) =>
            {
                Interlocked.Increment(ref activityCalls);
                return DurableFloor.Echo(token);
            });
        }, new DurableTaskTestHostOptions { Port = FreePort.Next() });
        using var cts = new CancellationTokenSource(Bound);

        var id = await testHost.Client.ScheduleNewOrchestrationInstanceAsync(DurableFloor.Name, "token-1", cts.Token);
        var done = await testHost.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("token-1", done.ReadOutputAs<string>());
        Assert.Equal(1, activityCalls);
    }

    /// <summary>The floor over its endpoint on the local host's DTFx + Azurite runners, followed like any orchestration.</summary>
    [Fact]
    public async Task GivenTheLocalHost_WhenTheDurableFloorIsStartedOverItsEndpoint_ThenTheStatusEndpointShowsItCompletedWithItsToken()
    {
        var hostJson = LocalHostHarness.TestHostJson(LocalHostHarness.UniqueHubName("floor"));
        using var host = LocalHostHarness.Build(output, [typeof(DurableFloor)], hostJson, new TestRecorder());
        await host.StartAsync();
        using var cts = new CancellationTokenSource(Bound);
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var endpoints = new SelfTestEndpoints(new Ndhm.Triggers.Http.PublicUrls("https://ndhm.example.in"));

        var accepted = Assert.IsType<AcceptedResult>(await endpoints.StartFloor(Request(host, "POST", "/api/ops/durable-floor", null), client, cts.Token));
        var body = Assert.IsType<SelfTestAccepted>(accepted.Value);
        Assert.Equal($"https://ndhm.example.in/api/ops/orchestrations/{body.InstanceId}", accepted.Location);

        await client.WaitForInstanceCompletionAsync(body.InstanceId, cts.Token);
        var status = Assert.IsType<OkObjectResult>(await endpoints.Status(
            Request(host, "GET", accepted.Location!, null), body.InstanceId, client, cts.Token));
        var response = Assert.IsType<OrchestrationStatusResponse>(status.Value);
        Assert.Equal("Completed", response.RuntimeStatus);
        Assert.Equal(DurableFloor.Name, response.Name);
        var token = response.Output!.Value.GetString();
        Assert.Matches("^[0-9a-f]{32}$", token);
        await LocalHostHarness.StopAndDeleteHubAsync(host);
    }

    private static void AssertReport(SelfTestReport report)
    {
        Assert.Equal(1, report.PauseSeconds);
        Assert.Equal(["cosmos", "storage"], report.FirstPass.Select(p => p.Name));
        Assert.All(report.FirstPass, p => Assert.True(p.Healthy));
        Assert.False(report.SecondPass.Single(p => p.Name == "cosmos").Healthy);
        Assert.False(report.Healthy);
        // The Azure Storage backend schedules timer messages in whole seconds, so a 1 s timer may fire a little
        // early: only the order of the two passes is certain.
        Assert.True(report.FinishedAt > report.StartedAt);
    }

    private static HttpRequest Request(IHost host, string method, string pathOrUrl, string? json)
    {
        var http = new DefaultHttpContext { RequestServices = host.Services };
        http.Request.Method = method;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = pathOrUrl.StartsWith("http", StringComparison.Ordinal) ? new Uri(pathOrUrl).AbsolutePath : pathOrUrl;
        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
        }

        return http.Request;
    }
}
