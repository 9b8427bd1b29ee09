using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Json;
using Ndhm.Gateway.Callbacks;

namespace Ndhm.Triggers.Gateway;

/// <summary>
/// One attempt of one callback per queue message. Retries are new messages with a visibility delay (the
/// backoff), so the host's dequeue count and poison queue only ever see messages that cannot be read or whose
/// processing hit an infrastructure failure (Cosmos/Storage down).
/// </summary>
public sealed class DeliverCallback(DeliveryProcessor processor, ILogger<DeliverCallback> logger)
{
    [Function(nameof(DeliverCallback))]
    public async Task Run(
        [QueueTrigger(CallbackQueue.TriggerBinding, Connection = "AzureWebJobsStorage")] string message,
        CancellationToken ct)
    {
        var request = JsonSerializer.Deserialize<DeliveryMessage>(message, NdhmJson.Options);
        if (request is null || string.IsNullOrEmpty(request.PartnerId) || string.IsNullOrEmpty(request.DeliveryId) || request.Attempt < 1)
        {
            throw new InvalidOperationException("Not a delivery message.");
        }

        var delivery = await processor.ProcessAsync(request, ct);
        logger.LogInformation("Delivery {DeliveryId} attempt {Attempt}: {Status}", request.DeliveryId, request.Attempt,
            delivery?.Status.ToString() ?? "missing");
    }
}
