using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Configuration;
using Ndhm.Core.Json;
using Ndhm.Pharmacy.Orders;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>
/// One order event per queue message (<c>%Pharmacy__OrderQueue%</c>), applied by <see cref="OrderProcessor"/>
/// (idempotent under redelivery). A message that cannot be read, names no order, or keeps failing is retried by the
/// host up to maxDequeueCount and then lands in the poison queue (operators: <c>ListPoisonPharmacyOrders</c>); the
/// other messages keep flowing meanwhile.
/// </summary>
public sealed class ProcessPharmacyOrderEvent(OrderProcessor processor, ILogger<ProcessPharmacyOrderEvent> logger)
{
    public const string TriggerBinding = "%" + SettingNames.PharmacyOrderQueue + "%";

    [Function(nameof(ProcessPharmacyOrderEvent))]
    public async Task Run(
        [QueueTrigger(TriggerBinding, Connection = "AzureWebJobsStorage")] string message,
        CancellationToken ct)
    {
        OrderEventMessage? request;
        try
        {
            request = JsonSerializer.Deserialize<OrderEventMessage>(message, NdhmJson.Options);
        }
        catch (JsonException e)
        {
            throw new PoisonOrderMessageException("Not an order event: " + e.Message);
        }

        if (request is null) throw new PoisonOrderMessageException("Not an order event.");
        var order = await processor.ProcessAsync(request, ct);
        logger.LogInformation("Order {OrderId} event {EventId} ({Requested}): now {Status}", request.OrderId, request.EventId, request.Status,
            OrderStatuses.Name(order.Status));
    }
}
