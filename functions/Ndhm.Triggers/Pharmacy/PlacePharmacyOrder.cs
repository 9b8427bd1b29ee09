using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient picks one pharmacy's quote: the order is PLACED and the pharmacy told through the order queue.</summary>
public sealed class PlacePharmacyOrder(FulfilmentService fulfilment)
{
    [Function(nameof(PlacePharmacyOrder))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Order from the pharmacy whose quote you pick (one order per share).",
        Request = typeof(PlaceOrderInput), Response = typeof(OrderView), SuccessStatus = 201, Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/prescription-shares/{id}/orders")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = PharmacyHttp.PatientNumber(req);
        var input = await req.ReadJsonAsync<PlaceOrderInput>(ct);
        var order = await fulfilment.PlaceOrderAsync(patient, PharmacyHttp.Id(id, PharmacyErrors.ShareMissing), input, ct);
        return new CreatedResult($"{req.PathBase}/api/v1/patients/me/pharmacy-orders/{order.Id}", OrderView.From(order));
    }
}
