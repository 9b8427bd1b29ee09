using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Gateway.Callbacks;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Gateway;

public sealed class ReplayDelivery(IDeliveryStore store, DeliveryProcessor processor)
{
    [Function(nameof(ReplayDelivery))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Replay a dead-lettered delivery (a fresh budget of attempts).", Response = typeof(DeliveryResponse), SuccessStatus = 202, Tag = "Gateway")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/deliveries/{id}/replay")] HttpRequest req,
        string id,
        CancellationToken ct)
    {
        var delivery = await DeliveryLookup.OwnAsync(store, req, id, ct);
        var replayed = await processor.ReplayAsync(delivery, ct);
        return new ObjectResult(DeliveryResponse.From(replayed)) { StatusCode = StatusCodes.Status202Accepted };
    }
}
