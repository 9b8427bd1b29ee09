using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Gateway.Callbacks;

namespace Ndhm.Triggers.Gateway;

/// <summary>Every minute: pending deliveries more than two minutes overdue get their queue message again.</summary>
public sealed class RequeueOverdueDeliveries(DeliveryProcessor processor, ILogger<RequeueOverdueDeliveries> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    [Function(nameof(RequeueOverdueDeliveries))]
    public async Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken ct)
    {
        var count = await processor.RequeueOverdueAsync(Grace, 200, ct);
        if (count > 0)
        {
            logger.LogWarning("Re-enqueued {Count} overdue deliveries", count);
        }
    }
}
