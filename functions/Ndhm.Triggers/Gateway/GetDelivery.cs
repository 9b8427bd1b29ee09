using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Callbacks;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Gateway;

public sealed class GetDelivery(IDeliveryStore store)
{
    [Function(nameof(GetDelivery))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Get one of the caller's deliveries with every attempt.", Response = typeof(DeliveryResponse), Tag = "Gateway")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/deliveries/{id}")] HttpRequest req,
        string id,
        CancellationToken ct) =>
        new OkObjectResult(DeliveryResponse.From((await DeliveryLookup.OwnAsync(store, req, id, ct)).Value));
}
