using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.LocalHost;

/// <summary>Function-based orchestrations on DTFx + Azure Storage (Azurite), each test on its own task hub.</summary>
public sealed class DurableHostTests(ITestOutputHelper output)
{
    private static readonly Type[] Functions = [typeof(DurableTestFunctions)];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TestRecorder recorder = new();

    [Fact]
    public async Task GivenThreeActivitiesAndATimer_WhenScheduled_ThenTheOrchestrationCompletesWithTheirOutputs()
    {
        using var host = LocalHostHarness.Build(output, Functions, LocalHostHarness.TestHostJson(LocalHostHarness.UniqueHubName("run")), recorder);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        using var cts = new CancellationTokenSource(Bound);

        // Warm-up run: the first orchestration pays for table and queue round-trips that later ones do not.
        var warm = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestGreetAll),
            new GreetingRequest(["warm"], 0), cts.Token);
        await client.WaitForInstanceCompletionAsync(warm, cts.Token);

        var clock = Stopwatch.StartNew();
        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestGreetAll),
            new GreetingRequest(["asha", "ravi", "meera"], 0), cts.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        output.WriteLine($"3-activity orchestration: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello asha", "Hello ravi", "Hello meera"], done.ReadOutputAs<List<string>>());
        Assert.Equal("asha", done.ReadInputAs<GreetingRequest>()!.Names[0]);

        clock.Restart();
        var timed = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestGreetAll),
            new GreetingRequest(["x"], 2), cts.Token);
        var timedDone = await client.WaitForInstanceCompletionAsync(timed, getInputsAndOutputs: true, cts.Token);
        output.WriteLine($"1 activity + 2 s durable timer + 1 activity: {clock.ElapsedMilliseconds} ms");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, timedDone.RuntimeStatus);
        Assert.Equal(["Hello x", "Hello after-timer"], timedDone.ReadOutputAs<List<string>>());
        // The Azure Storage backend delays timer messages by queue visibility in whole seconds, so a timer can fire
        // up to ~1 s before its FireAt (Durable Functions on Azure Storage behaves the same).
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), "the durable timer must actually wait");
        await LocalHostHarness.StopAndDeleteHubAsync(host);
    }

    [Fact]
    public async Task GivenAnOrchestrationWaitingOnATimer_WhenTheWorkerStopsAndANewHostStarts_ThenItCompletesWithoutRerunningActivities()
    {
        var hostJson = LocalHostHarness.TestHostJson(LocalHostHarness.UniqueHubName("restart"));
        using var cts = new CancellationTokenSource(Bound);
        string id;
        using (var first = LocalHostHarness.Build(output, Functions, hostJson, recorder))
        {
            await first.StartAsync(cts.Token);
            var client = first.Services.GetRequiredService<DurableTaskClient>();
            id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestGreetAll),
                new GreetingRequest(["one", "two"], 3), cts.Token);
            await LocalHostHarness.WaitUntilAsync(async () =>
                (await client.GetInstanceAsync(id, cts.Token))?.SerializedCustomStatus == "\"waiting\"", Bound, "the timer to start");
            await first.StopAsync(cts.Token);
        }

        // The timer fires while no worker runs; a new host with a fresh service provider picks the instance up.
        await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
        var clock = Stopwatch.StartNew();
        using var second = LocalHostHarness.Build(output, Functions, hostJson, recorder);
        await second.StartAsync(cts.Token);
        var secondClient = second.Services.GetRequiredService<DurableTaskClient>();
        var done = await secondClient.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
        output.WriteLine($"completed {clock.ElapsedMilliseconds} ms after the second host started");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello one", "Hello two", "Hello after-timer"], done.ReadOutputAs<List<string>>());
        var runs = recorder.SeenOf<string>().Where(s => s.StartsWith(id, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"{id}:one", $"{id}:two", $"{id}:after-timer"], runs);
        await LocalHostHarness.StopAndDeleteHubAsync(second);
    }

    [Fact]
    public async Task GivenAnOrchestrationWaitingForAnEvent_WhenTheEventIsRaised_ThenItCompletesWithTheEventData()
    {
        using var host = LocalHostHarness.Build(output, Functions, LocalHostHarness.TestHostJson(LocalHostHarness.UniqueHubName("event")), recorder);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        using var cts = new CancellationTokenSource(Bound);

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestApproval),
            new ApprovalRequest("leave"), cts.Token);
        await LocalHostHarness.WaitUntilAsync(async () =>
            (await client.GetInstanceAsync(id, cts.Token))?.SerializedCustomStatus == "\"awaiting-decision\"", Bound, "the orchestration to wait");
        await client.RaiseEventAsync(id, "decision", new ApprovalDecision(true, "ops"), cts.Token);
        var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("leave:approved by ops", done.ReadOutputAs<string>());

        // A failing activity fails the orchestration, and the client reports why.
        var failing = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestFailing), cancellation: cts.Token);
        var failed = await client.WaitForInstanceCompletionAsync(failing, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains($"boom in {failing}", failed.FailureDetails?.ErrorMessage);
        await LocalHostHarness.StopAndDeleteHubAsync(host);
    }

    [Fact]
    public async Task GivenARunningOrchestration_WhenSuspendedResumedTerminatedAndPurged_ThenTheClientReportsEachState()
    {
        using var host = LocalHostHarness.Build(output, Functions, LocalHostHarness.TestHostJson(LocalHostHarness.UniqueHubName("ops")), recorder);
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        using var cts = new CancellationTokenSource(Bound);

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(DurableTestFunctions.TestApproval),
            new ApprovalRequest("purchase"), new Microsoft.DurableTask.StartOrchestrationOptions("purchase-" + Guid.NewGuid().ToString("N")), cts.Token);
        Assert.StartsWith("purchase-", id);
        await client.WaitForInstanceStartAsync(id, cts.Token);

        await client.SuspendInstanceAsync(id, "pause", cts.Token);
        await LocalHostHarness.WaitUntilAsync(async () =>
            (await client.GetInstanceAsync(id, cts.Token))?.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, Bound, "suspension");
        await client.ResumeInstanceAsync(id, "go on", cts.Token);
        await LocalHostHarness.WaitUntilAsync(async () =>
            (await client.GetInstanceAsync(id, cts.Token))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, Bound, "resumption");

        await client.TerminateInstanceAsync(id, "no longer needed", cts.Token);
        var terminated = await client.WaitForInstanceCompletionAsync(id, cts.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, terminated.RuntimeStatus);

        var all = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "purchase-" }))
        {
            all.Add(instance);
        }

        Assert.Contains(all, i => i.InstanceId == id);
        var purged = await client.PurgeInstanceAsync(id, cts.Token);
        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Null(await client.GetInstanceAsync(id, cts.Token));
        await LocalHostHarness.StopAndDeleteHubAsync(host);
    }
}
