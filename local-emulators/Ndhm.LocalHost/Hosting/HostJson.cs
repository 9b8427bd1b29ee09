using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ndhm.LocalHost.Hosting;

/// <summary>The parts of the app's host.json the local host honours, with the Functions host's defaults.</summary>
public sealed record HostJson(
    string RoutePrefix,
    int QueueMaxDequeueCount,
    TimeSpan QueueVisibilityTimeout,
    TimeSpan QueueMaxPollingInterval,
    int QueueBatchSize,
    int QueueNewBatchThreshold,
    string DurableHubName,
    TimeSpan DurableMaxQueuePollingInterval,
    TimeSpan DurableControlQueueVisibilityTimeout,
    TimeSpan DurableWorkItemQueueVisibilityTimeout)
{
    public static HostJson Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        }) ?? new JsonObject();
        var extensions = root["extensions"];
        var queues = extensions?["queues"];
        var durable = extensions?["durableTask"];
        var batchSize = queues?["batchSize"]?.GetValue<int>() ?? 16;
        return new HostJson(
            RoutePrefix: extensions?["http"]?["routePrefix"]?.GetValue<string>() ?? "api",
            QueueMaxDequeueCount: queues?["maxDequeueCount"]?.GetValue<int>() ?? 5,
            QueueVisibilityTimeout: Span(queues?["visibilityTimeout"], TimeSpan.Zero),
            QueueMaxPollingInterval: Span(queues?["maxPollingInterval"], TimeSpan.FromMinutes(1)),
            QueueBatchSize: batchSize,
            // The Functions host's default on the Consumption plan (on dedicated plans it is times the core count).
            QueueNewBatchThreshold: queues?["newBatchThreshold"]?.GetValue<int>() ?? batchSize / 2,
            DurableHubName: durable?["hubName"]?.GetValue<string>() ?? "TestHubName",
            DurableMaxQueuePollingInterval: Span(durable?["storageProvider"]?["maxQueuePollingInterval"], TimeSpan.FromSeconds(30)),
            // How long a message a dead worker had taken stays invisible before another worker takes it (default 5 min).
            DurableControlQueueVisibilityTimeout: Span(durable?["storageProvider"]?["controlQueueVisibilityTimeout"], TimeSpan.FromMinutes(5)),
            DurableWorkItemQueueVisibilityTimeout: Span(durable?["storageProvider"]?["workItemQueueVisibilityTimeout"], TimeSpan.FromMinutes(5)));
    }

    private static TimeSpan Span(JsonNode? node, TimeSpan fallback) =>
        node is null ? fallback : TimeSpan.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}
