using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Ndhm.Core.Concurrency;
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

internal static class DeliveryLookup
{
    /// <summary>
    /// Only the owner sees a delivery; anyone else gets the same 404 as for a missing one. A delivery id is a UUID:
    /// anything else is refused as such (400), never looked up.
    /// </summary>
    public static async Task<Versioned<Delivery>> OwnAsync(IDeliveryStore store, HttpRequest req, string id, CancellationToken ct) =>
        (Guid.TryParse(id, out _)
            ? await store.GetAsync(req.Caller().Subject, id, ct)
            : throw new DomainException(ErrorKind.Validation, ErrorCodes.InvalidId, "The delivery id is not valid.", "A delivery id is a UUID."))
        ?? throw new DomainException(ErrorKind.NotFound, GatewayErrors.DeliveryNotFound, "No delivery has this id.");
}
