using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Security;
using Ndhm.Pharmacy;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Pharmacy;

/// <summary>Operators see the order messages that could not be processed (the order queue's poison queue), without removing them.</summary>
public sealed class ListPoisonPharmacyOrders(IOrderPoisonQueue poison)
{
    [Function(nameof(ListPoisonPharmacyOrders))]
    [RequireRoles(Roles.PlatformAdmin)]
    [OpenApiOperation("Peek at order event messages that failed repeatedly or could not be read (the poison queue).",
        Response = typeof(PoisonMessagesView), Tag = PharmacyHttp.Tag)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/operations/pharmacy-orders/poison")] HttpRequest req,
        CancellationToken ct) =>
        new OkObjectResult(new PoisonMessagesView(poison.Name, await poison.PeekAsync(32, ct)));
}
