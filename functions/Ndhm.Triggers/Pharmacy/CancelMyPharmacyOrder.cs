using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>The patient cancels an order before it is dispatched (409 naming the current state otherwise); queued, 202.</summary>
public sealed class CancelMyPharmacyOrder(FulfilmentService fulfilment)
{
    [Function(nameof(CancelMyPharmacyOrder))]
    [RequireRoles(Roles.Patient)]
    [OpenApiOperation("Cancel your pharmacy order before dispatch (queued; 409 naming the current state when too late).",
        Request = typeof(CancelOrderInput), Response = typeof(OrderEventAccepted), SuccessStatus = 202, Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/patients/me/pharmacy-orders/{id}/cancel")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var patient = PharmacyHttp.PatientNumber(req);
        var input = req.HasBody() ? await req.ReadJsonAsync<CancelOrderInput>(ct) : null;
        var queued = await fulfilment.CancelAsync(patient, PharmacyHttp.Id(id, PharmacyErrors.OrderMissing), input?.Reason, ct);
        return new AcceptedResult((string?)null, new OrderEventAccepted(queued.OrderId, queued.EventId, queued.Status));
    }
}
