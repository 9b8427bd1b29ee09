using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Ndhm.IntegrationTests.Support.TestRunFramework", "Ndhm.IntegrationTests")]

namespace Ndhm.IntegrationTests.Support;

/// <summary>
/// xUnit's framework with a run-level beginning and end (xUnit 2 has no assembly fixture): before the first test
/// it notes what the developer's sandbox holds, after the last it removes the run's resources
/// (<see cref="TestRunResources"/>) and, when <c>NDHM_TEST_SANDBOX_CHECK=1</c> (local-emulators/test.sh sets it),
/// compares the sandbox with the first snapshot. A difference fails the run (an assembly clean-up failure) and is
/// written to <c>NDHM_TEST_SANDBOX_REPORT</c>, which test.sh reads.
/// </summary>
public sealed class TestRunFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName name, ISourceInformationProvider source, IMessageSink diagnostics)
        : XunitTestFrameworkExecutor(name, source, diagnostics)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink,
            ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly assembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnostics, IMessageSink execution,
        ITestFrameworkExecutionOptions options) : XunitTestAssemblyRunner(assembly, testCases, diagnostics, execution, options)
    {
        private static readonly bool Check = Environment.GetEnvironmentVariable("NDHM_TEST_SANDBOX_CHECK") == "1";
        private static readonly string? ReportPath = Environment.GetEnvironmentVariable("NDHM_TEST_SANDBOX_REPORT");
        private SandboxSnapshot? before;
        private Exception? snapshotFailure;
        private bool timerStatusContainerExisted = true;

        protected override async Task AfterTestAssemblyStartingAsync()
        {
            await base.AfterTestAssemblyStartingAsync();
            if (!Check) return;
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                before = await SandboxSnapshot.TakeAsync(cts.Token);
                timerStatusContainerExisted = before.Entries.ContainsKey($"blob container {TestRunResources.TimerStatusContainer}");
            }
            catch (Exception e)
            {
                snapshotFailure = e;
            }
        }

        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            var report = new List<string> { $"test run {TestRun.Id}" };
            report.AddRange(TestRunSummary.Lines);
            try
            {
                if (snapshotFailure is not null)
                {
                    report.Add("the snapshot of the sandbox before the run failed: " + snapshotFailure);
                    Aggregator.Add(snapshotFailure);
                }

                if (TestRunResources.WereUsed || Check)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                    var removed = await TestRunResources.RemoveAsync(timerStatusContainerExisted, cts.Token);
                    // By kind, not one line each: a run removes hundreds (queues, tables and leases per test host).
                    report.Add($"removed {removed.Count} test resources: " + string.Join(", ",
                        removed.GroupBy(r => r.Split(' ')[0]).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
                }

                if (before is not null)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                    var changes = (await SandboxSnapshot.TakeAsync(cts.Token)).ChangesSince(before, DateTime.UtcNow);
                    if (changes.Count > 0)
                    {
                        report.Add($"SANDBOX CHANGED: {changes.Count} differences in the developer's sandbox data");
                        report.AddRange(changes.Select(c => "  " + c));
                        throw new InvalidOperationException(string.Join('\n', report));
                    }

                    report.Add($"sandbox unchanged ({before.Entries.Count} entries compared)");
                }
            }
            catch (Exception e)
            {
                if (e is not InvalidOperationException) report.Add("clean-up or sandbox check failed: " + e);
                Aggregator.Add(e);
            }
            finally
            {
                if (ReportPath is { Length: > 0 }) await File.WriteAllLinesAsync(ReportPath, report);
            }

            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
