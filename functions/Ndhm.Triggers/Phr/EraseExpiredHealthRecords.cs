using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Phr;

namespace Ndhm.Triggers.Phr;

/// <summary>
/// Every minute: pulled records whose dataEraseAt has passed are erased (document and blob). It asks the store what is
/// due, so a host that was down or restarted catches up on its first run; nothing is scheduled in memory.
/// </summary>
public sealed class EraseExpiredHealthRecords(PhrRecordService records, ILogger<EraseExpiredHealthRecords> logger)
{
    [Function(nameof(EraseExpiredHealthRecords))]
    public async Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var erased = await records.EraseDueAsync(ct);
        if (erased > 0) logger.LogInformation("Health record erasure: {Erased} pulled records past their dataEraseAt erased", erased);
    }
}
