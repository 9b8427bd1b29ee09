using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Ndhm.IntegrationTests.LocalHost;

// Test-only [Function] classes, run by the local host's runners in LocalHostHarness. They record what they saw in
// the TestRecorder the test registered.

public sealed record GreetingRequest(IReadOnlyList<string> Names, int TimerSeconds);

public sealed record Greeting(string Name, string InstanceId);

public sealed record ApprovalRequest(string Subject);

public sealed record ApprovalDecision(bool Approved, string By);

public sealed class DurableTestFunctions(TestRecorder recorder)
{
    /// <summary>One activity per name, optionally a durable timer and one more activity after it.</summary>
    [Function(nameof(TestGreetAll))]
    public async Task<List<string>> TestGreetAll([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var request = context.GetInput<GreetingRequest>()!;
        var greetings = new List<string>();
        foreach (var name in request.Names)
        {
            greetings.Add(await context.CallActivityAsync<string>(nameof(TestGreet), new Greeting(name, context.InstanceId)));
        }

        if (request.TimerSeconds > 0)
        {
            context.SetCustomStatus("waiting");
            await context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(request.TimerSeconds), CancellationToken.None);
            greetings.Add(await context.CallActivityAsync<string>(nameof(TestGreet), new Greeting("after-timer", context.InstanceId)));
        }

        return greetings;
    }

    [Function(nameof(TestGreet))]
    public string TestGreet([ActivityTrigger] Greeting greeting)
    {
        recorder.Record($"{greeting.InstanceId}:{greeting.Name}");
        return $"Hello {greeting.Name}";
    }

    /// <summary>An activity failure the orchestrator does not catch fails the orchestration.</summary>
    [Function(nameof(TestFailing))]
    public async Task<string> TestFailing([OrchestrationTrigger] TaskOrchestrationContext context) =>
        await context.CallActivityAsync<string>(nameof(TestExplode), context.InstanceId);

    [Function(nameof(TestExplode))]
    public string TestExplode([ActivityTrigger] string instanceId) =>
        throw new InvalidOperationException($"boom in {instanceId}");

    /// <summary>Input bound as a parameter (the Functions extension allows it) and an external event.</summary>
    [Function(nameof(TestApproval))]
    public async Task<string> TestApproval([OrchestrationTrigger] TaskOrchestrationContext context, ApprovalRequest request)
    {
        context.SetCustomStatus("awaiting-decision");
        var decision = await context.WaitForExternalEvent<ApprovalDecision>("decision");
        return $"{request.Subject}:{(decision.Approved ? "approved" : "rejected")} by {decision.By}";
    }
}

public sealed record WorkItem(string Id, bool Fail);

public sealed record SlowItem(string Id, int Seconds);

public sealed class QueueTestFunctions(TestRecorder recorder)
{
    [Function(nameof(TestQueueWork))]
    public Task TestQueueWork([QueueTrigger("%TestWorkQueue%")] WorkItem item, CancellationToken ct)
    {
        recorder.Record(item);
        return item.Fail ? throw new InvalidOperationException($"Work item {item.Id} fails on purpose.") : Task.CompletedTask;
    }

    /// <summary>Runs for longer than the test's processing lease, so it finishes only if the lease is renewed.</summary>
    [Function(nameof(TestQueueSlow))]
    public async Task TestQueueSlow([QueueTrigger("%TestSlowQueue%")] SlowItem item, CancellationToken ct)
    {
        recorder.Record(item);
        await Task.Delay(TimeSpan.FromSeconds(item.Seconds), ct);
        recorder.Record("done:" + item.Id);
    }

    [Function(nameof(TestQueueBytes))]
    public void TestQueueBytes([QueueTrigger("%TestBytesQueue%", Connection = "TestStorage")] BinaryData body) =>
        recorder.Record("bytes:" + body.ToString());
}

public sealed class TimerTestFunctions(TestRecorder recorder)
{
    [Function(nameof(TestEverySecond))]
    public void TestEverySecond([TimerTrigger("%TestSchedule%", RunOnStartup = true)] TimerInfo timer) =>
        recorder.Record(timer);
}

public sealed class YearlyTimerTestFunctions(TestRecorder recorder)
{
    /// <summary>Never due during a test run: it runs only when a missed occurrence is caught up at start-up.</summary>
    [Function(nameof(TestYearly))]
    public void TestYearly([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer)
    {
        recorder.Record(timer);
        recorder.Record("yearly");
    }
}
