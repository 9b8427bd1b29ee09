using System.Globalization;
using Ndhm.Core.Records;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Pharmacy.Orders;

/// <summary>Why an order message cannot be processed however often it is retried (it belongs in the poison queue).</summary>
public sealed class PoisonOrderMessageException(string message) : Exception(message);

/// <summary>
/// Applies one order event from the queue. Idempotent under redelivery: an event id the order has seen changes
/// nothing (its notification is sent again, harmlessly: the event id is the partner's dedup key). Side effects are
/// idempotent per order too: the ledger reserves on ACCEPTED (or turns the acceptance into REJECTED
/// PRESCRIPTION_EXHAUSTED when too little is left), releases on REJECTED/CANCELLED, marks dispensed on DELIVERED;
/// delivery also writes the Schedule H/H1 register (create-only ids) and the MedicationDispense, which is then added to
/// the patient's health record (again on a redelivered DELIVERED event: idempotent, so a crash in between is completed
/// by the queue's retry). An event that
/// arrives when the order can no longer take it (e.g. a cancel racing a dispatch) is kept as not applied. The order
/// and the ledger are each changed with If-Match, re-read and retried on a concurrent change.
/// </summary>
public sealed class OrderProcessor(
    IOrderStore orders,
    IPrescriptionStore prescriptions,
    IDispensingLedgerStore ledgers,
    IDispensingRegister register,
    IPharmacyNotifier notifier,
    PharmacyAudit audit,
    TimeProvider time,
    IProviderRecords providerRecords)
{
    private const int MaxAttempts = 20;

    public async Task<Order> ProcessAsync(OrderEventMessage message, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(message.OrderId) || string.IsNullOrWhiteSpace(message.EventId) || !OrderStatuses.TryParse(message.Status, out var wanted))
            throw new PoisonOrderMessageException("Not an order event.");
        for (var attempt = 1; ; attempt++)
        {
            var found = await orders.FindAsync(message.OrderId, ct) ?? throw new PoisonOrderMessageException($"Order {message.OrderId} does not exist.");
            var order = found.Value;
            var seen = order.Events.FirstOrDefault(e => e.EventId == message.EventId);
            if (seen is not null)
            {
                if (seen is { Applied: true, Status: OrderStatus.Delivered }) await AddDispensesToHealthRecordAsync(order, seen.At, ct);
                await notifier.OrderChangedAsync(order, seen, ct);
                return order;
            }

            var change = await DecideAsync(order, message, wanted, ct);
            var changed = order.Apply(change);
            if (change.Applied && change.Status == OrderStatus.Delivered)
            {
                changed = changed with { Dispenses = await DeliverAsync(order, change.At, ct) };
            }

            if (await orders.TryReplaceAsync(changed, found.ETag, ct) is null)
            {
                if (attempt >= MaxAttempts) throw new InvalidOperationException($"Order {order.Id} kept changing; retried {attempt} times.");
                continue;
            }

            await audit.RecordAsync(order.PatientNumber, "pharmacy-order.status", PharmacyAudit.OrderResource, order.Id,
                change.Applied ? $"now {OrderStatuses.Name(change.Status)}" : $"{OrderStatuses.Name(change.Status)} not applied: {change.Reason}", ct);
            if (change.Applied && change.Status == OrderStatus.Delivered) await AddDispensesToHealthRecordAsync(changed, change.At, ct);
            await notifier.OrderChangedAsync(changed, change, ct);
            return changed;
        }
    }

    private async Task<OrderEventRecord> DecideAsync(Order order, OrderEventMessage message, OrderStatus wanted, CancellationToken ct)
    {
        var at = message.At == default ? time.GetUtcNow() : message.At;
        if (wanted == OrderStatus.Placed)
            return new OrderEventRecord(message.EventId, OrderStatus.Placed, at, message.Actor, null, order.Status == OrderStatus.Placed);
        if (!OrderStatuses.CanMove(order.Status, wanted))
            return new OrderEventRecord(message.EventId, wanted, at, message.Actor, $"the order was {OrderStatuses.Name(order.Status)}", false);
        switch (wanted)
        {
            case OrderStatus.Accepted when !await ReserveAsync(order, ct):
                return new OrderEventRecord(message.EventId, OrderStatus.Rejected, at, "platform", PharmacyErrors.PrescriptionExhausted, true);
            case OrderStatus.Rejected or OrderStatus.Cancelled:
                await ChangeLedgerAsync(order.PrescriptionId, l => l.Release(order.Id), ct);
                break;
        }

        return new OrderEventRecord(message.EventId, wanted, at, message.Actor, message.Reason, true);
    }

    private async Task<bool> ReserveAsync(Order order, CancellationToken ct)
    {
        var reserved = true;
        await ChangeLedgerAsync(order.PrescriptionId, ledger =>
        {
            var next = ledger.Reserve(order.Id, order.PharmacyId, order.Lines.Select(l => (l.Line, l.Quantity)));
            reserved = next is not null;
            return next ?? ledger;
        }, ct);
        return reserved;
    }

    private async Task<IReadOnlyList<string>> DeliverAsync(Order order, DateTimeOffset at, CancellationToken ct)
    {
        await ChangeLedgerAsync(order.PrescriptionId, l => l.Dispense(order.Id), ct);
        var prescription = await prescriptions.FindAsync(order.PrescriptionId, ct)
                           ?? throw new PoisonOrderMessageException($"Prescription {order.PrescriptionId} of order {order.Id} does not exist.");
        var dispenses = new List<string>();
        foreach (var line in order.Lines)
        {
            if (line.Schedule is Catalogue.DrugSchedule.H or Catalogue.DrugSchedule.H1)
            {
                await register.RecordAsync(new DispensingRegisterEntry($"{order.Id}-{line.Line}", at, prescription.DoctorHprId, order.PatientNumber,
                    line.DrugCode, line.DrugName, line.Schedule, line.Quantity, order.PharmacyId, prescription.Id, order.Id), ct);
            }

            dispenses.Add(PrescriptionDocument.Dispense(prescription, order.PharmacyId, line.DrugCode, line.DrugName, line.Line, line.Quantity,
                line.Substituted, at));
        }

        return dispenses;
    }

    /// <summary>The care context reference a delivery's record carries at the pharmacy.</summary>
    public static string CareContextReference(string orderId) => "DISP-" + orderId;

    /// <summary>The delivered order's MedicationDispense resources into the patient's health record, filed under the pharmacy (idempotent).</summary>
    private Task AddDispensesToHealthRecordAsync(Order order, DateTimeOffset handedOver, CancellationToken ct) =>
        order.Dispenses.Count == 0
            ? Task.CompletedTask
            : providerRecords.AddAsync(new ProviderRecord(order.PatientNumber, order.PharmacyId, CareContextReference(order.Id),
                string.Create(CultureInfo.InvariantCulture, $"Medicines dispensed, {handedOver:d MMM yyyy}"), "Prescription",
                PrescriptionDocument.DispenseBundle(order.Id, order.Dispenses, handedOver), handedOver, LinkAsCareContext: false,
                Author: "system:pharmacy-orders"), ct);

    /// <summary>Read, change, If-Match replace; again on a concurrent change. Nothing written when the change returns the same ledger.</summary>
    private async Task ChangeLedgerAsync(string prescriptionId, Func<DispensingLedger, DispensingLedger> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var found = await ledgers.FindAsync(prescriptionId, ct)
                        ?? throw new PoisonOrderMessageException($"Prescription {prescriptionId} has no dispensing ledger.");
            var next = change(found.Value);
            if (ReferenceEquals(next, found.Value) || await ledgers.TryReplaceAsync(next, found.ETag, ct) is not null) return;
            if (attempt >= MaxAttempts) throw new InvalidOperationException($"The ledger of {prescriptionId} kept changing; retried {attempt} times.");
        }
    }
}
