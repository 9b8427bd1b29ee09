using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Errors;
using Ndhm.Core.Security;
using Ndhm.Gateway;
using Ndhm.Gateway.Callbacks;
using Ndhm.Triggers.Http;

namespace Ndhm.Triggers.Gateway;

public sealed record DeliveryResponse(string Id, string Path, DeliveryStatus Status, string? AnswersRequestId,
    IReadOnlyList<DeliveryAttempt> Attempts, int AttemptLimit, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? NextAttemptAt)
{
    public static DeliveryResponse From(Delivery d) =>
        new(d.Id, d.Path, d.Status, d.AnswersRequestId, d.Attempts, d.AttemptLimit, d.CreatedAt, d.UpdatedAt,
            d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null);
}

public sealed record DeliveryListResponse(IReadOnlyList<DeliveryResponse> Deliveries);


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

public sealed class GetDelivery(IDeliveryStore store)
{
    [Function(nameof(GetDelivery))]
    [RequireRoles(Roles.Hip, Roles.Hiu, Roles.PhrApp, Roles.Pharmacy, Roles.Teleconsult, Roles.HealthWorker, Roles.Analytics)]
    [OpenApiOperation("Get one of the caller's deliveries with every attempt.", Response = typeof(DeliveryResponse), Tag = "Gateway")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/deliveries/{id}")] HttpRequest req,
        string id,
        CancellationToken ct) =>
        new OkObjectResult(DeliveryResponse.From(await DeliveryLookup.OwnAsync(store, req, id, ct)));
}

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

internal static class DeliveryLookup
{
    /// <summary>
    /// Only the owner sees a delivery; anyone else gets the same 404 as for a missing one. A delivery id is a UUID:
    /// anything else is refused as such (400), never looked up.
    /// </summary>
    public static async Task<Delivery> OwnAsync(IDeliveryStore store, HttpRequest req, string id, CancellationToken ct) =>
        (Guid.TryParse(id, out _)
            ? await store.GetAsync(req.Caller().Subject, id, ct)
            : throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidId, "The delivery id is not valid.", "A delivery id is a UUID."))
        ?? throw new DomainException(ErrorKind.NotFound, GatewayErrors.DeliveryNotFound, "No delivery has this id.");
}
