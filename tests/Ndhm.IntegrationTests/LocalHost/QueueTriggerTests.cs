using System.Text;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Ndhm.Core.Json;
using Ndhm.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.LocalHost;

/// <summary>Storage queue triggers against Azurite: delivery, retries, poison queues, undecodable messages.</summary>
public sealed class QueueTriggerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly Type[] Functions = [typeof(QueueTestFunctions)];
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(45);
    private readonly TestRecorder recorder = new();
    private readonly string workQueue = TestRun.NewQueue("work");
    private readonly string bytesQueue = TestRun.NewQueue("bytes");
    private readonly string slowQueue = TestRun.NewQueue("slow");
    private IHost? host;

    private QueueClient Work(bool encoded = true) => new(SandboxEndpoints.StorageConnectionString, workQueue,
        new QueueClientOptions { MessageEncoding = encoded ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None });

    private QueueClient Poison => new(SandboxEndpoints.StorageConnectionString, workQueue + "-poison",
        new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    // The listener creates the poison queue when it first needs it.
    private async Task<PeekedMessage[]> PeekPoisonAsync()
    {
        try
        {
            return (await Poison.PeekMessagesAsync(10)).Value;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }
    }

    public async Task InitializeAsync()
    {
        host = LocalHostHarness.Build(output, Functions, LocalHostHarness.TestHostJson("unused"), recorder,
            new Dictionary<string, string?>
            {
                ["TestWorkQueue"] = workQueue,
                ["TestBytesQueue"] = bytesQueue,
                ["TestSlowQueue"] = slowQueue,
                ["LocalHost:QueueProcessingLeaseSeconds"] = "2",
                ["TestStorage"] = SandboxEndpoints.StorageConnectionString,
            });
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }

        foreach (var name in new[] { workQueue, workQueue + "-poison", bytesQueue, slowQueue })
        {
            await new QueueClient(SandboxEndpoints.StorageConnectionString, name).DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task GivenAJsonMessage_WhenEnqueued_ThenTheFunctionGetsThePocoAndTheMessageIsDeleted()
    {
        var queue = Work();
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(new WorkItem("ok-1", false), NdhmJson.Options));

        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<WorkItem>().Any(w => w.Id == "ok-1"), Bound, "the message");
        await LocalHostHarness.WaitUntilAsync(async () =>
            (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Bound, "the message to be deleted");
        Assert.Single(recorder.SeenOf<WorkItem>());
    }

    [Fact]
    public async Task GivenAMessageThatAlwaysFails_WhenProcessed_ThenItIsTriedMaxDequeueCountTimesAndMovedToPoison()
    {
        var queue = Work();
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(new WorkItem("bad-1", true), NdhmJson.Options));

        PeekedMessage[] poisoned = [];
        await LocalHostHarness.WaitUntilAsync(async () =>
        {
            poisoned = await PeekPoisonAsync();
            return poisoned.Length > 0;
        }, Bound, "the poison queue");

        Assert.Equal(3, recorder.SeenOf<WorkItem>().Count(w => w.Id == "bad-1"));
        Assert.Contains("bad-1", poisoned[0].Body.ToString());
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task GivenAPlainTextMessage_WhenReceived_ThenItGoesToPoisonAndTheNextMessageIsStillProcessed()
    {
        var raw = Work(encoded: false);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("this is not base64 {");
        await Work().SendMessageAsync(BinaryData.FromObjectAsJson(new WorkItem("after-text", false), NdhmJson.Options));

        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<WorkItem>().Any(w => w.Id == "after-text"), Bound, "the valid message");
        PeekedMessage[] poisoned = [];
        await LocalHostHarness.WaitUntilAsync(async () =>
        {
            poisoned = await PeekPoisonAsync();
            return poisoned.Length > 0;
        }, Bound, "the poison queue");
        Assert.Equal("this is not base64 {", poisoned.Single().Body.ToString());
    }

    [Fact]
    public async Task GivenANamedConnectionAndBinaryDataParameter_WhenEnqueued_ThenTheFunctionGetsTheBytes()
    {
        var queue = new QueueClient(SandboxEndpoints.StorageConnectionString, bytesQueue,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(new BinaryData(Encoding.UTF8.GetBytes("raw bytes")));

        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<string>().Contains("bytes:raw bytes"), Bound, "the bytes");
    }

    [Fact]
    public async Task GivenAFunctionRunningLongerThanTheLease_WhenItRuns_ThenTheLeaseIsRenewedAndItRunsOnce()
    {
        var queue = new QueueClient(SandboxEndpoints.StorageConnectionString, slowQueue,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        // Lease 2 s (renewed every second); the run takes 5 s, so without renewal it would be delivered again.
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(new SlowItem("slow-1", 5), NdhmJson.Options));

        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<string>().Contains("done:slow-1"), Bound, "the slow run to finish");
        await LocalHostHarness.WaitUntilAsync(async () =>
            (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0, Bound, "the message to be deleted");
        await Task.Delay(TimeSpan.FromSeconds(3)); // longer than one lease: a lost lease would have redelivered by now

        Assert.Single(recorder.SeenOf<SlowItem>());
    }

    [Fact]
    public async Task GivenAMessageStillRunning_WhenAnotherArrives_ThenItIsProcessedWithoutWaitingForTheFirst()
    {
        var queue = new QueueClient(SandboxEndpoints.StorageConnectionString, slowQueue,
            new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(new SlowItem("long-1", 30), NdhmJson.Options));
        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<SlowItem>().Any(i => i.Id == "long-1"), Bound, "the long run to start");

        await queue.SendMessageAsync(BinaryData.FromObjectAsJson(new SlowItem("quick-1", 0), NdhmJson.Options));

        // One message running is below newBatchThreshold, so the listener keeps receiving while it runs.
        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<string>().Contains("done:quick-1"), Bound, "the quick run to finish");
        Assert.DoesNotContain("done:long-1", recorder.SeenOf<string>());
    }
}
