using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Gateway;
using Ndhm.Gateway.Callbacks;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Gateway;

/// <summary>A partner's own callbacks and webhooks, newest first, optionally by status.</summary>
public sealed class ListDeliveries(IDeliveryStore store)
{
    [Function(nameof(ListDeliveries))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("List the caller's callback deliveries (status=pending|delivered|deadLettered), newest first, at most 100.",
        Response = typeof(DeliveryListResponse), Tag = "Gateway")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/deliveries")] HttpRequest req,
        CancellationToken ct)
    {
        DeliveryStatus? status = null;
        var raw = req.Query["status"].ToString();
        if (raw.Length > 0)
        {
            status = Enum.TryParse<DeliveryStatus>(raw.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var s) && Enum.IsDefined(s)
                ? s
                : throw new DomainException(ErrorKind.Validation, GatewayErrors.InvalidDeliveryStatus, "status is invalid.",
                    "One of pending, delivered, deadLettered.");
        }

        var list = await store.ListAsync(req.Caller().Subject, status, 100, ct);
        return new OkObjectResult(new DeliveryListResponse(list.Select(DeliveryResponse.From).ToList()));
    }
}
