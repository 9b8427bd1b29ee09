using System.Diagnostics;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Ndhm.IntegrationTests.Support;
using Ndhm.LocalHost.Durable;
using Ndhm.Triggers.Operations;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.LocalHost;

/// <summary>
/// The real local host as a child process, killed with SIGKILL in the middle of the self-test's durable pause and
/// started again: the orchestration must complete. The test talks to the task hub with the host's own client types.
/// </summary>
public sealed class LocalHostKillTests(ITestOutputHelper output)
{
    private const int Port = 20005;

    [Fact]
    public async Task GivenASelfTestInItsPause_WhenTheHostIsKilledAndStartedAgain_ThenTheOrchestrationCompletes()
    {
        var hubName = LocalHostHarness.UniqueHubName("kill");
        using var hub = new LocalTaskHub(new LocalDurableOptions
        {
            StorageConnectionString = SandboxEndpoints.StorageConnectionString,
            HubName = hubName,
        }, NullLoggerFactory.Instance);
        var client = new LocalDurableTaskClient(hub);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));

        using (var first = await ChildHost.StartAsync(hubName, output, cts.Token))
        {
            var id = await client.ScheduleNewOrchestrationInstanceAsync(PlatformSelfTest.Name, new SelfTestRequest(4), cts.Token);
            await LocalHostHarness.WaitUntilAsync(async () =>
                (await client.GetInstanceAsync(id, cts.Token))?.SerializedCustomStatus?.Contains("paused") == true,
                TimeSpan.FromSeconds(60), "the self-test to reach its pause");
            first.Kill();

            var clock = Stopwatch.StartNew();
            using var second = await ChildHost.StartAsync(hubName, output, cts.Token);
            var done = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
            output.WriteLine($"completed {clock.ElapsedMilliseconds} ms after the SIGKILL (partition leases must expire first)");

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(4, done.ReadOutputAs<SelfTestReport>()!.PauseSeconds);
        }

        await hub.Service.DeleteAsync();
    }

    private sealed class ChildHost : IDisposable
    {
        private readonly Process process;

        private ChildHost(Process process) => this.process = process;

        public static async Task<ChildHost> StartAsync(string hubName, ITestOutputHelper output, CancellationToken ct)
        {
            // bin/<Configuration>/net10.0/ (trailing separator trimmed, or Parent is the folder itself)
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var dll = Path.Combine(SandboxEndpoints.RepoRoot, "local-emulators", "Ndhm.LocalHost", "bin", configuration, "net10.0", "Ndhm.LocalHost.dll");
            var info = new ProcessStartInfo("dotnet", [dll])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = Path.GetDirectoryName(dll)!,
            };
            info.Environment["AzureWebJobsStorage"] = SandboxEndpoints.StorageConnectionString;
            info.Environment[LocalDurableExtensions.HubNameSetting] = hubName;
            info.Environment["urls"] = $"http://127.0.0.1:{Port}";
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = new StringBuilder();
            var process = new Process { StartInfo = info };
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (log)
                {
                    log.AppendLine(e.Data);
                }

                if (e.Data.Contains("Durable task hub", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            };
            process.OutputDataReceived += onLine;
            process.ErrorDataReceived += onLine;
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            output.WriteLine($"local host pid {process.Id} on hub {hubName}");
            try
            {
                await started.Task.WaitAsync(TimeSpan.FromSeconds(60), ct);
            }
            catch
            {
                process.Kill(entireProcessTree: true);
                lock (log)
                {
                    output.WriteLine(log.ToString());
                }

                throw;
            }

            return new ChildHost(process);
        }

        /// <summary>SIGKILL: no graceful stop, leases and in-flight messages are left behind.</summary>
        public void Kill()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                Kill();
            }

            process.Dispose();
        }
    }
}
