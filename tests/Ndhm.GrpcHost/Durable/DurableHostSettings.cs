using System.Text.Json.Nodes;

namespace Ndhm.GrpcHost.Durable;

/// <summary>
/// Where the harness's Durable host keeps its task hub, read as the Durable extension reads it: the storage
/// connection is the <c>AzureWebJobsStorage</c> app setting, the hub name host.json's <c>durableTask.hubName</c>
/// unless the app setting <c>AzureFunctionsJobHost__extensions__durableTask__hubName</c> overrides it (tests give
/// every run its own hub that way).
/// </summary>
public sealed record DurableHostSettings(string StorageConnectionString, string HubName, TimeSpan MaxQueuePollingInterval,
    TimeSpan ControlQueueVisibilityTimeout, TimeSpan WorkItemQueueVisibilityTimeout)
{
    public const string HubNameSetting = "AzureFunctionsJobHost__extensions__durableTask__hubName";

    /// <summary>The local host's cap: never wait longer than this on an idle queue in tests.</summary>
    private static readonly TimeSpan LocalPollingCap = TimeSpan.FromMilliseconds(500);

    public static DurableHostSettings? Read(string appDirectory)
    {
        var storage = WorkerProcess.AppSetting(appDirectory, "AzureWebJobsStorage");
        if (string.IsNullOrEmpty(storage))
        {
            return null;
        }

        var hostJson = Path.Combine(appDirectory, "host.json");
        var durable = File.Exists(hostJson) ? JsonNode.Parse(File.ReadAllText(hostJson))?["extensions"]?["durableTask"] : null;
        var provider = durable?["storageProvider"];
        var hubName = WorkerProcess.AppSetting(appDirectory, HubNameSetting) ?? durable?["hubName"]?.GetValue<string>() ?? "TestHubName";
        var polling = Duration(provider, "maxQueuePollingInterval", TimeSpan.FromSeconds(30));
        return new DurableHostSettings(storage, hubName,
            polling < LocalPollingCap ? polling : LocalPollingCap,
            Duration(provider, "controlQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
            Duration(provider, "workItemQueueVisibilityTimeout", TimeSpan.FromMinutes(5)));
    }

    private static TimeSpan Duration(JsonNode? section, string name, TimeSpan fallback) =>
        section?[name]?.GetValue<string>() is { } text && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
