using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>A pharmacy reads an order sent to one of its facilities, with the signed prescription (other orders: 404).</summary>
public sealed class GetPharmacyOrder(FulfilmentService fulfilment)
{
    [Function(nameof(GetPharmacyOrder))]
    [RequireRoles(Roles.Pharmacy)]
    [OpenApiOperation("Read an order sent to your pharmacy, with the signed prescription.", Response = typeof(OrderView), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/pharmacy/orders/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var (order, prescription) = await fulfilment.GetOrderForPharmacyAsync(PharmacyHttp.PartnerId(req), PharmacyHttp.Id(id, PharmacyErrors.OrderMissing), ct);
        return new OkObjectResult(OrderView.From(order, prescription));
    }
}
