using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ndhm.IntegrationTests.Support;
using Ndhm.LocalHost.Durable;
using Ndhm.LocalHost.Hosting;
using Ndhm.LocalHost.Queues;
using Ndhm.LocalHost.Timers;
using Ndhm.Triggers.Hosting;
using Xunit.Abstractions;

namespace Ndhm.IntegrationTests.LocalHost;

/// <summary>
/// Builds the local host's trigger runners in-process around test-only functions (discovered from this assembly),
/// against the real Azurite named by <see cref="SandboxEndpoints"/>. The HTTP part is left out: it needs the
/// platform's authentication, which the end-to-end tests cover.
/// </summary>
public static class LocalHostHarness
{
    /// <summary>host.json as the app has it, with a private hub and queue timings short enough for tests.</summary>
    public static HostJson TestHostJson(string hubName) => new(
        RoutePrefix: "api",
        QueueMaxDequeueCount: 3,
        QueueVisibilityTimeout: TimeSpan.FromMilliseconds(500),
        QueueMaxPollingInterval: TimeSpan.FromSeconds(1),
        QueueBatchSize: 16,
        QueueNewBatchThreshold: 8,
        DurableHubName: hubName,
        DurableMaxQueuePollingInterval: TimeSpan.FromMilliseconds(500),
        DurableControlQueueVisibilityTimeout: TimeSpan.FromSeconds(30),
        DurableWorkItemQueueVisibilityTimeout: TimeSpan.FromSeconds(30));

    /// <summary>A task hub name of its own per test (letters and digits, starting with the test run's id).</summary>
    public static string UniqueHubName(string prefix) => TestRun.Id + prefix + Guid.NewGuid().ToString("N")[..8];

    public static IHost Build(
        ITestOutputHelper output,
        IReadOnlyCollection<Type> functionClasses,
        HostJson hostJson,
        TestRecorder recorder,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        // Test-only functions from this assembly, or the app's own ones from the trigger library.
        var functions = FunctionCatalog.Discover(typeof(LocalHostHarness).Assembly)
            .Concat(FunctionCatalog.Functions)
            .Where(f => functionClasses.Contains(f.Method.DeclaringType!))
            .ToList();
        TestRunResources.Used();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var values = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = SandboxEndpoints.StorageConnectionString };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        builder.Services.AddSingleton(recorder);
        services?.Invoke(builder.Services);

        var runners = new TriggerRunners();
        if (functions.Any(f => f.Kind is TriggerKind.Orchestration or TriggerKind.Activity))
        {
            builder.Services.AddLocalDurableTask(builder.Configuration, hostJson, functions, runners);
        }

        builder.Services.AddLocalQueueTriggers(builder.Configuration, hostJson, functions, runners);
        builder.Services.AddLocalTimerTriggers(builder.Configuration, functions, runners);
        runners.EnsureAllClaimed(functions);
        return builder.Build();
    }

    /// <summary>Stops the host and deletes its task hub from storage, so test runs leave no hubs polling behind.</summary>
    public static async Task StopAndDeleteHubAsync(IHost host)
    {
        await host.StopAsync();
        await host.Services.GetRequiredService<LocalTaskHub>().Service.DeleteAsync();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            if (cts.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}

/// <summary>What test functions saw, shared between the test and the host(s) it runs.</summary>
public sealed class TestRecorder
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<object> seen = new();

    public void Record(object value) => seen.Enqueue(value);

    public IReadOnlyList<object> Seen => seen.ToArray();

    public IReadOnlyList<T> SeenOf<T>() => seen.OfType<T>().ToList();
}

internal sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class TestOutputLogger(ITestOutputHelper output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
            catch (InvalidOperationException)
            {
                // The test already finished; background loops may still be winding down.
            }
        }
    }
}
