using System.Text.Json;
using Ndhm.Core.Json;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Events;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Orders;

namespace Ndhm.Infrastructure.Pharmacy;

/// <summary>
/// Tells a pharmacy partner through the gateway's machinery: a webhook to its bridge (recorded, retried, visible in
/// its deliveries) and an event on its partner event stream. Only ids and states travel: the pharmacy reads the
/// order (with the signed prescription) through its own authenticated GET.
/// </summary>
public sealed class GatewayPharmacyNotifier(ICallbackDispatcher callbacks, IPartnerEventPublisher events, TimeProvider time) : IPharmacyNotifier
{
    public const string SharedPath = "/v1/pharmacy/prescriptions/on-share";
    public const string OrderPath = "/v1/pharmacy/orders/on-status";
    public const string PrescriptionShared = "prescription.shared";

    public async Task SharedAsync(string partnerId, string shareId, string pharmacyId, CancellationToken ct)
    {
        var data = new { shareId, pharmacyId };
        await callbacks.EnqueueAsync(partnerId, SharedPath, JsonSerializer.Serialize(data, NdhmJson.Options), null, null, ct);
        await events.PublishAsync(partnerId, new PartnerEvent(shareId + ":" + pharmacyId, PrescriptionShared, time.GetUtcNow(),
            JsonSerializer.SerializeToElement(data, NdhmJson.Options)), ct);
    }

    public async Task OrderChangedAsync(Order order, OrderEventRecord change, CancellationToken ct)
    {
        var data = new
        {
            eventId = change.EventId,
            orderId = order.Id,
            pharmacyId = order.PharmacyId,
            status = OrderStatuses.Name(order.Status),
            requested = OrderStatuses.Name(change.Status),
            applied = change.Applied,
            reason = change.Reason,
            at = change.At,
        };
        await callbacks.EnqueueAsync(order.PartnerId, OrderPath, JsonSerializer.Serialize(data, NdhmJson.Options), null, null, ct);
        await events.PublishAsync(order.PartnerId, new PartnerEvent(change.EventId, PartnerEventTypes.OrderStatusChanged, change.At,
            JsonSerializer.SerializeToElement(data, NdhmJson.Options)), ct);
    }
}
