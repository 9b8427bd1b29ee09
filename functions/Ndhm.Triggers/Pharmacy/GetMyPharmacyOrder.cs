using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient's own order: its state, events and, once delivered, the FHIR MedicationDispense of each line.</summary>
public sealed class GetMyPharmacyOrder(FulfilmentService fulfilment)
{
    [Function(nameof(GetMyPharmacyOrder))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Read your pharmacy order (after delivery with its FHIR MedicationDispense resources).", Response = typeof(OrderView),
        Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/patients/me/pharmacy-orders/{id}")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var order = await fulfilment.GetOrderForPatientAsync(PharmacyHttp.PatientNumber(req), PharmacyHttp.Id(id, PharmacyErrors.OrderMissing), ct);
        return new OkObjectResult(OrderView.From(order));
    }
}
