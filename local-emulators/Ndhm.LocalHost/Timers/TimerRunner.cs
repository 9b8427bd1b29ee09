using Microsoft.Azure.Functions.Worker;
using Ndhm.LocalHost.Functions;
using Ndhm.Triggers.Hosting;

namespace Ndhm.LocalHost.Timers;

/// <summary>
/// Fires one timer function on its schedule. Invocations never overlap (the Functions host runs each timer as a
/// singleton): an occurrence missed while the previous run was still going is skipped, and the next run is marked
/// <see cref="TimerInfo.IsPastDue"/>. A failing run is logged and the schedule continues. The last and next
/// occurrences are saved after every run (<see cref="TimerScheduleMonitor"/>), so an occurrence that fell while the
/// host was down runs once, past due, at start-up, as the Functions host's schedule monitor does.
/// </summary>
internal sealed class TimerRunner(
    FunctionDescriptor function,
    TimerSchedule schedule,
    bool runOnStartup,
    IServiceScopeFactory scopes,
    ILogger<TimerRunner> logger,
    TimerScheduleMonitor monitor,
    IServiceProvider services) : BackgroundService
{
    // Lateness beyond which a run counts as past due (timer and scheduling jitter stay well below it).
    private static readonly TimeSpan PastDueTolerance = TimeSpan.FromSeconds(1);

    private readonly TimeProvider time = services.GetService<TimeProvider>() ?? TimeProvider.System;

    public static void EnsureBindable(FunctionDescriptor function)
    {
        var bad = function.Method.GetParameters()
            .Where(p => p.ParameterType != typeof(TimerInfo) && p.ParameterType != typeof(CancellationToken))
            .ToList();
        if (bad.Count > 0)
        {
            throw new NotSupportedException(
                $"{function.Name}: timer functions take TimerInfo and CancellationToken only; cannot bind " +
                string.Join(", ", bad.Select(p => p.Name)) + ".");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        logger.LogInformation("Timer trigger {Function}: {Schedule}", function.Name, schedule.Description);
        var saved = await monitor.ReadAsync(function.Name, stoppingToken);
        DateTime? last = saved is { Last: var savedLast } && savedLast != default ? savedLast : null;
        if (saved is { Next: var missed } && missed != default && missed < time.GetUtcNow().UtcDateTime)
        {
            // An occurrence fell while no host was running: run it once now, late.
            var next = schedule.Next(time.GetUtcNow());
            await RunAsync(new TimerInfo { IsPastDue = true, ScheduleStatus = Status(last, next) }, stoppingToken);
            last = missed;
            await SaveAsync(last, next, stoppingToken);
        }
        else if (runOnStartup)
        {
            await RunAsync(new TimerInfo
            {
                IsPastDue = false,
                ScheduleStatus = Status(last, schedule.Next(time.GetUtcNow())),
            }, stoppingToken);
        }

        var due = schedule.Next(time.GetUtcNow());
        while (due is { } occurrence && !stoppingToken.IsCancellationRequested)
        {
            var wait = occurrence - time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Max(): never compute the next occurrence from a clock that reads a hair before this one.
            var now = time.GetUtcNow();
            var next = schedule.Next(Max(now, occurrence));
            await RunAsync(new TimerInfo
            {
                IsPastDue = now - occurrence > PastDueTolerance,
                ScheduleStatus = Status(last, next),
            }, stoppingToken);
            last = occurrence.UtcDateTime;
            // Skip occurrences that passed while this run was going (no catch-up bursts, as in Functions).
            due = schedule.Next(Max(time.GetUtcNow(), occurrence));
            await SaveAsync(last, due, stoppingToken);
        }
    }

    private Task SaveAsync(DateTime? last, DateTimeOffset? next, CancellationToken ct) =>
        ct.IsCancellationRequested ? Task.CompletedTask : monitor.WriteAsync(function.Name, Status(last, next), ct);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private ScheduleStatus Status(DateTime? last, DateTimeOffset? next) => new()
    {
        Last = last ?? default,
        Next = next?.UtcDateTime ?? default,
        LastUpdated = time.GetUtcNow().UtcDateTime,
    };

    private async Task RunAsync(TimerInfo info, CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, _ => info, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Timer function {Function} failed; the schedule continues", function.Name);
        }
    }
}
