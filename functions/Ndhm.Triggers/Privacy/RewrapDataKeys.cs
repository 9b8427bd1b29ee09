using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Privacy;

namespace Ndhm.Triggers.Privacy;

/// <summary>
/// Nightly: re-wraps data keys still wrapped under an older version of the Key Vault wrapping key. Nothing to do
/// until the key rotates (one Key Vault read and one checkpoint read); after a rotation it works through all data
/// keys, resuming where it stopped if a run is cut short. Old versions keep unwrapping meanwhile, so the delay is
/// harmless; disable an old key version only once a pass for the new one has completed.
/// </summary>
public sealed class RewrapDataKeys(DataKeyRewrapJob job, ILogger<RewrapDataKeys> logger)
{
    [Function(nameof(RewrapDataKeys))]
    public async Task Run([TimerTrigger("0 30 2 * * *")] TimerInfo timer, CancellationToken ct)
    {
        var report = await job.RunAsync(ct);
        if (report.Failed > 0)
        {
            logger.LogError("Data key re-wrap {Name}: {Failed} data keys could not be unwrapped and keep their old wrapping", report.Name, report.Failed);
        }

        if (report.Changed > 0 || !report.Completed)
        {
            logger.LogInformation("Data key re-wrap {Name}: {Visited} visited, {Changed} re-wrapped, completed {Completed}",
                report.Name, report.Visited, report.Changed, report.Completed);
        }
    }
}
