using Ndhm.Pharmacy.Catalogue;

namespace Ndhm.Pharmacy.Orders;

public enum OrderStatus
{
    Placed,
    Accepted,
    Rejected,
    Packed,
    Dispatched,
    Delivered,
    Cancelled,
}

public static class OrderStatuses
{
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Next = new()
    {
        [OrderStatus.Placed] = [OrderStatus.Accepted, OrderStatus.Rejected, OrderStatus.Cancelled],
        [OrderStatus.Accepted] = [OrderStatus.Packed, OrderStatus.Cancelled],
        [OrderStatus.Packed] = [OrderStatus.Dispatched, OrderStatus.Cancelled],
        [OrderStatus.Dispatched] = [OrderStatus.Delivered],
        [OrderStatus.Rejected] = [],
        [OrderStatus.Delivered] = [],
        [OrderStatus.Cancelled] = [],
    };

    /// <summary>PLACED -> ACCEPTED | REJECTED -> PACKED -> DISPATCHED -> DELIVERED; CANCELLED before dispatch.</summary>
    public static bool CanMove(OrderStatus from, OrderStatus to) => Next[from].Contains(to);

    public static bool IsFinal(OrderStatus status) => Next[status].Length == 0;

    /// <summary>What the pharmacy may ask for; the patient may only cancel.</summary>
    public static bool IsPharmacyStep(OrderStatus status) =>
        status is OrderStatus.Accepted or OrderStatus.Rejected or OrderStatus.Packed or OrderStatus.Dispatched or OrderStatus.Delivered;

    public static string Name(OrderStatus status) => status.ToString().ToUpperInvariant();

    public static bool TryParse(string? text, out OrderStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);
}

/// <param name="PrescribedDrugCode">The prescription item's drug; <see cref="DrugCode"/> differs when the pharmacy substitutes.</param>
public sealed record OrderLine(int Line, string PrescribedDrugCode, string DrugCode, string DrugName, bool Substituted, int Quantity, decimal UnitPrice,
    DrugSchedule Schedule);

/// <summary>One event of the order's life, applied or (when it arrived too late for the state) refused.</summary>
public sealed record OrderEventRecord(string EventId, OrderStatus Status, DateTimeOffset At, string Actor, string? Reason, bool Applied);

/// <summary>
/// An order at one pharmacy for (part of) one prescription. Every change is an event processed from the order queue;
/// <see cref="Events"/> keeps the ids already seen, so a redelivered event changes nothing. Stored encrypted under the
/// patient's data key (the lines and dispenses are clinical data).
/// </summary>
public sealed record Order(
    string Id,
    string ShareId,
    string PrescriptionId,
    string PatientNumber,
    string PharmacyId,
    string PartnerId,
    IReadOnlyList<OrderLine> Lines,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<OrderEventRecord> Events,
    string? Reason,
    IReadOnlyList<string> Dispenses)
{
    public bool HasSeen(string eventId) => Events.Any(e => e.EventId == eventId);

    public Order Apply(OrderEventRecord e) =>
        e.Applied
            ? this with { Status = e.Status, UpdatedAt = e.At, Reason = e.Reason ?? Reason, Events = [.. Events, e] }
            : this with { Events = [.. Events, e] };
}

/// <summary>The queue message of one order event (<c>Pharmacy__OrderQueue</c>).</summary>
/// <param name="Status">The state the event asks for (PLACED: the order was just created; only the pharmacy is told).</param>
public sealed record OrderEventMessage(string OrderId, string EventId, string Status, string Actor, DateTimeOffset At, string? Reason);
