using Ndhm.IntegrationTests.Support;
using Ndhm.LocalHost.Durable;
using Ndhm.LocalHost.Hosting;

namespace Ndhm.IntegrationTests.LocalHost;

/// <summary>
/// How long a durable step a crashed host had taken stays stuck. The Azure Storage backend hides a dequeued control
/// or work-item message for its visibility timeout (5 minutes by default); a host killed while it held one (an
/// orchestration step, or an activity such as the data transfer's consent check, which runs every few seconds) left
/// the transfer waiting that long after the restart (issue #13's stalled transfer). host.json declares 30 s, which
/// Azure honours and the local host applies; running steps renew their messages, so only a dead worker's wait.
/// </summary>
public sealed class DurableRecoveryTimeTests
{
    [Fact]
    public void GivenTheAppsHostJson_ThenADeadWorkersDurableMessagesReturnWithinHalfAMinute_AndTheLocalHubUsesIt()
    {
        var hostJson = HostJson.Load(Path.Combine(SandboxEndpoints.RepoRoot, "host.json"));
        using var hub = new LocalTaskHub(new LocalDurableOptions
        {
            StorageConnectionString = SandboxEndpoints.StorageConnectionString,
            HubName = "unused",
            ControlQueueVisibilityTimeout = hostJson.DurableControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = hostJson.DurableWorkItemQueueVisibilityTimeout,
        }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        Assert.Equal(TimeSpan.FromSeconds(30), hostJson.DurableControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), hostJson.DurableWorkItemQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), hub.Settings.ControlQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), hub.Settings.WorkItemQueueVisibilityTimeout);
    }
}
