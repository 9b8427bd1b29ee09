using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ndhm.IntegrationTests.Support;
using Ndhm.LocalHost.Timers;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.LocalHost;

public sealed class TimerTriggerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task GivenAnEverySecondScheduleWithRunOnStartup_WhenTheHostRuns_ThenItFiresAtStartAndOnSchedule()
    {
        var recorder = new TestRecorder();
        using var host = LocalHostHarness.Build(output, [typeof(TimerTestFunctions)], LocalHostHarness.TestHostJson("unused"), recorder,
            new Dictionary<string, string?> { ["TestSchedule"] = "*/1 * * * * *", ["LocalHost:HostId"] = TestRun.HostId + "-" + Guid.NewGuid().ToString("N")[..8] });
        await host.StartAsync();
        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<TimerInfo>().Count >= 3, TimeSpan.FromSeconds(20), "three timer runs");
        await host.StopAsync();

        var runs = recorder.SeenOf<TimerInfo>();
        // The start-up run has no previous occurrence; scheduled runs know the last and next ones.
        Assert.Equal(default, runs[0].ScheduleStatus!.Last);
        Assert.False(runs[0].IsPastDue);
        Assert.All(runs.Skip(1), r => Assert.True(r.ScheduleStatus!.Next > r.ScheduleStatus.Last));
        Assert.Equal(TimeSpan.FromSeconds(1), runs[2].ScheduleStatus!.Next - runs[1].ScheduleStatus!.Next);
    }

    [Fact]
    public async Task GivenAnOccurrenceMissedWhileNoHostRan_WhenTheHostStarts_ThenItRunsOncePastDueAndSavesTheSchedule()
    {
        // Arrange: the saved status says a yearly timer was next due an hour ago (the host was down then).
        var hostId = TestRun.HostId + "-" + Guid.NewGuid().ToString("N")[..8];
        var container = new BlobContainerClient(SandboxEndpoints.StorageConnectionString, "azure-webjobs-hosts");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient($"timers/{hostId}/{nameof(YearlyTimerTestFunctions.TestYearly)}/status");
        var missed = DateTime.UtcNow.AddHours(-1);
        await blob.UploadAsync(BinaryData.FromObjectAsJson(new { last = missed.AddYears(-1), next = missed, lastUpdated = missed.AddYears(-1) }));
        var recorder = new TestRecorder();
        using var host = LocalHostHarness.Build(output, [typeof(YearlyTimerTestFunctions)], LocalHostHarness.TestHostJson("unused"), recorder,
            new Dictionary<string, string?> { ["LocalHost:HostId"] = hostId });

        // Act
        await host.StartAsync();
        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<string>().Contains("yearly"), TimeSpan.FromSeconds(20), "the missed run");
        await Task.Delay(500);
        await host.StopAsync();

        // Assert: one late run, and the saved status now points at the next occurrence.
        Assert.Single(recorder.SeenOf<string>(), "yearly");
        Assert.True(Assert.Single(recorder.SeenOf<TimerInfo>()).IsPastDue);
        var saved = (await blob.DownloadContentAsync()).Value.Content.ToObjectFromJson<ScheduleStatus>(
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.True(saved.Next > DateTime.UtcNow);
        await container.DeleteBlobIfExistsAsync(blob.Name);
    }

    [Fact]
    public async Task GivenStorageUnreachable_WhenTheTimerRunsAndCannotSaveItsSchedule_ThenItKeepsFiringAndTheHostKeepsRunning()
    {
        // Arrange: blob storage on a port nothing listens on (as during the fault suite's Azurite restart).
        var closedPort = FreePort();
        var unreachable = System.Text.RegularExpressions.Regex.Replace(SandboxEndpoints.StorageConnectionString,
            "BlobEndpoint=http://[^/;]+/", $"BlobEndpoint=http://127.0.0.1:{closedPort}/");
        Assert.Contains($"BlobEndpoint=http://127.0.0.1:{closedPort}/", unreachable, StringComparison.Ordinal);
        var recorder = new TestRecorder();
        using var host = LocalHostHarness.Build(output, [typeof(TimerTestFunctions)], LocalHostHarness.TestHostJson("unused"), recorder,
            new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = unreachable, ["TestSchedule"] = "*/1 * * * * *",
                ["LocalHost:HostId"] = TestRun.HostId + "-" + Guid.NewGuid().ToString("N")[..8],
            });
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        // Act
        await host.StartAsync();
        await LocalHostHarness.WaitUntilAsync(() => recorder.SeenOf<TimerInfo>().Count >= 3 || lifetime.ApplicationStopping.IsCancellationRequested,
            TimeSpan.FromSeconds(90), "three timer runs or the host stopping");
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        await host.StopAsync();

        // Assert: failed saves are logged, not thrown (a thrown one stops the host before the second run).
        Assert.False(stopping, "the host began shutting down after a schedule save failed");
        Assert.True(recorder.SeenOf<TimerInfo>().Count >= 3);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public void GivenAFiveFieldExpression_WhenParsed_ThenItIsRejectedAsFunctionsDoes()
    {
        Assert.Throws<NotSupportedException>(() => TimerSchedule.Parse("*/5 * * * *", TimeZoneInfo.Utc, "f"));
        var every = TimerSchedule.Parse("00:00:30", TimeZoneInfo.Utc, "f");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(start.AddSeconds(30), every.Next(start));
        var cron = TimerSchedule.Parse("0 */5 * * * *", TimeZoneInfo.Utc, "f");
        Assert.Equal(start.AddMinutes(5), cron.Next(start));
    }
}
