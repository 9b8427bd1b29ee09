using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>
/// The pharmacy moves its order along (ACCEPTED, REJECTED, PACKED, DISPATCHED, DELIVERED): checked against the current
/// state (409 ORDER_TRANSITION_NOT_ALLOWED naming it), then queued (202) for the order processor.
/// </summary>
public sealed class UpdatePharmacyOrderStatus(FulfilmentService fulfilment)
{
    [Function(nameof(UpdatePharmacyOrderStatus))]
    [RequireRoles(Roles.Pharmacy)]
    [OpenApiOperation("Move an order of your pharmacy to ACCEPTED, REJECTED, PACKED, DISPATCHED or DELIVERED (queued; 409 names the current state).",
        Request = typeof(OrderStatusInput), Response = typeof(OrderEventAccepted), SuccessStatus = 202, Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/pharmacy/orders/{id}/status")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var partner = PharmacyHttp.PartnerId(req);
        var input = await req.ReadJsonAsync<OrderStatusInput>(ct);
        var queued = await fulfilment.RequestPharmacyStepAsync(partner, PharmacyHttp.Id(id, PharmacyErrors.OrderMissing), input.Status, input.Reason, ct);
        return new AcceptedResult((string?)null, new OrderEventAccepted(queued.OrderId, queued.EventId, queued.Status));
    }
}
