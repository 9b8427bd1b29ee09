using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Ndhm.DataTransfer;

namespace Ndhm.Triggers.DataTransfer;

/// <summary>
/// One orchestration per health-information transaction (instance id = transaction id): ask every HIP
/// (hip/request), then wait for each HIP to finish (its notify, or an error in its on-request) with durable timers
/// racing the <see cref="HipDoneEvent"/> events; every <c>ConsentCheckInterval</c> look at the consent (revoked or
/// expired stops the transfer); past the HIP push window the HIPs still silent are ERRORED (ABDM-1402). Then close
/// TRANSFERRED / PARTIAL / FAILED and tell the HIU. Deterministic: time from the context, ids derived from the
/// transaction, only the id passed; every activity idempotent, so a replay after a host restart repeats nothing.
/// </summary>
public static class DataTransferOrchestration
{
    public const string Name = "DataTransferOrchestration";
    public const string HipDoneEvent = "hip-done";

    /// <summary>Activities reach Cosmos, Key Vault and the callback queue: transient failures are retried with back-off.</summary>
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(2), 2, TimeSpan.FromSeconds(30)));

    [Function(Name)]
    public static async Task<string> Run([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var transactionId = context.GetInput<string>() ?? throw new InvalidOperationException("The orchestration's input is the transaction id.");
        var plan = await context.CallActivityAsync<TransferPlan>(DataTransferActivities.Start, transactionId, Retry);
        var pending = new HashSet<string>(plan.HipIds, StringComparer.Ordinal);
        if (plan.PlatformServedHipIds is { Count: > 0 })
        {
            foreach (var hip in await ServePlatformHeldAsync(context, transactionId, plan)) pending.Remove(hip);
        }

        string? stop = null;
        Task<string>? hipDone = null;
        while (pending.Count > 0)
        {
            var now = context.CurrentUtcDateTime;
            if (now >= plan.PushDeadline)
            {
                stop = DataTransferErrors.HipNoPush;
                break;
            }

            var wake = now + plan.ConsentCheckInterval < plan.PushDeadline ? now + plan.ConsentCheckInterval : plan.PushDeadline;
            // One waiter at a time, kept across timer turns: an event raised while none waits is buffered for the next.
            hipDone ??= context.WaitForExternalEvent<string>(HipDoneEvent);
            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(wake, timerCancel.Token);
            if (await Task.WhenAny(hipDone, timer) == hipDone)
            {
                timerCancel.Cancel();
                pending.Remove(hipDone.Result);
                hipDone = null;
                continue;
            }

            if (context.CurrentUtcDateTime >= plan.PushDeadline) continue;
            stop = await context.CallActivityAsync<string?>(DataTransferActivities.ConsentCheck, transactionId, Retry);
            if (stop is not null) break;
        }

        if (stop is not null)
        {
            context.SetCustomStatus(new { stoppedBecause = stop });
            await context.CallActivityAsync<bool>(DataTransferActivities.ErrorPending, new TransferStep(transactionId, stop), Retry);
        }

        return await context.CallActivityAsync<string>(DataTransferActivities.Close,
            new TransferStep(transactionId, stop == DataTransferErrors.HipNoPush ? null : stop), Retry);
    }

    /// <summary>
    /// The care contexts the platform holds itself are served by the platform as their HIP (an activity), once the HIU
    /// knows the transaction id: until then a durable timer waits <see cref="HiuNoticePoll"/> and asks again, never past
    /// the push deadline. A serve that fails for good leaves its care contexts pending: the push deadline errors them.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ServePlatformHeldAsync(TaskOrchestrationContext context, string transactionId, TransferPlan plan)
    {
        while (context.CurrentUtcDateTime < plan.PushDeadline)
        {
            PlatformHipServe served;
            try
            {
                served = await context.CallActivityAsync<PlatformHipServe>(DataTransferActivities.ServePlatformHeld, transactionId, Retry);
            }
            catch (TaskFailedException)
            {
                return [];
            }

            if (!served.WaitingForHiu) return served.DoneHipIds;
            var wake = context.CurrentUtcDateTime + HiuNoticePoll;
            await context.CreateTimer(wake < plan.PushDeadline ? wake : plan.PushDeadline, CancellationToken.None);
        }

        return [];
    }

    /// <summary>How often the platform, serving as HIP, looks whether the HIU has been told the transaction id.</summary>
    public static readonly TimeSpan HiuNoticePoll = TimeSpan.FromSeconds(2);

    /// <summary>Starts the transaction's orchestration unless it runs already (a retried cm/request starts nothing new).</summary>
    public static async Task EnsureStartedAsync(DurableTaskClient client, string transactionId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (await client.GetInstanceAsync(transactionId, ct) is not null) return;
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(Name, transactionId, new StartOrchestrationOptions(transactionId), ct);
        }
        catch (Exception)
        {
            // Started concurrently by a retry of the same request is fine; anything else is not.
            if (await client.GetInstanceAsync(transactionId, CancellationToken.None) is null) throw;
        }
    }

    /// <summary>Tells the transaction's orchestration that <paramref name="hipIds"/> finished.</summary>
    public static async Task HipsDoneAsync(DurableTaskClient client, string transactionId, IEnumerable<string> hipIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var hip in hipIds)
        {
            await client.RaiseEventAsync(transactionId, HipDoneEvent, hip, ct);
        }
    }
}

/// <summary>The platform-as-HIP activity's answer: still waiting for the HIU to know the transaction, or the HIPs now finished.</summary>
public sealed record PlatformHipServe(bool WaitingForHiu, IReadOnlyList<string> DoneHipIds);

/// <summary>An activity's input: the transaction and, for error and close, why it stopped.</summary>
public sealed record TransferStep(string TransactionId, string? Reason);
