using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Health;

namespace Ndhm.UnitTests.Platform;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task AllProbesAnswering_IsHealthy()
    {
        var check = new HealthCheck([new Probe("cosmos", _ => Task.CompletedTask), new Probe("keys", _ => Task.CompletedTask)], TimeProvider.System);

        var report = await check.RunAsync(TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.True(report.Healthy);
        Assert.Equal(["cosmos", "keys"], report.Dependencies.Select(d => d.Name));
    }

    [Fact]
    public async Task AProbeThatNeverAnswers_IsReportedDownWhenTheTimeoutPasses()
    {
        var time = new FakeTimeProvider();
        var never = new TaskCompletionSource();
        var check = new HealthCheck([new Probe("cosmos", _ => never.Task), new Probe("keys", _ => Task.CompletedTask)], time);

        var running = check.RunAsync(TimeSpan.FromSeconds(3), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));
        var report = await running;

        Assert.False(report.Healthy);
        Assert.Equal(["cosmos"], report.Failing);
        Assert.Contains("no answer", report.Dependencies.Single(d => d.Name == "cosmos").Error);
    }

    [Fact]
    public async Task AProbeThatThrows_IsReportedDownWithTheKindOfFailureOnly()
    {
        var check = new HealthCheck(
            [new Probe("storage", _ => throw new HttpRequestException("Connection refused (127.0.0.1:10001)\n   at secret stack"))],
            TimeProvider.System);

        var report = await check.RunAsync(TimeSpan.FromSeconds(3), CancellationToken.None);

        var storage = Assert.Single(report.Dependencies);
        Assert.False(storage.Healthy);
        Assert.Equal("HttpRequestException: Connection refused (127.0.0.1:10001)", storage.Error);
    }

    private sealed class Probe(string name, Func<CancellationToken, Task> check) : IDependencyProbe
    {
        public string Name => name;

        public async Task<ProbeResult> CheckAsync(CancellationToken ct)
        {
            await check(ct);
            return new ProbeResult(name, true, 0);
        }
    }
}
