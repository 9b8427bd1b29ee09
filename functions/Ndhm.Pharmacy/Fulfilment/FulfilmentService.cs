using System.Text.RegularExpressions;
using Ndhm.Core.Errors;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Pharmacy.Fulfilment;

/// <summary>
/// The patient shares a prescription (one pharmacy, or every verified pharmacy of a pincode), pharmacies quote, the
/// patient orders from one; then the pharmacy moves the order along and the patient may cancel. Each step that
/// changes an order is checked here against the order's current state (409 naming it) and then queued as an event
/// for <see cref="OrderProcessor"/>. A pharmacy sees only what was sent to its facilities; a patient only their own.
/// </summary>
public sealed partial class FulfilmentService(
    IPrescriptionStore prescriptions,
    IShareStore shares,
    IOrderStore orders,
    IDispensingRegister register,
    IPharmacyDirectory pharmacies,
    IOrderEventQueue queue,
    IPharmacyNotifier notifier,
    DrugCatalogue catalogue,
    PharmacyAudit audit,
    PharmacyOptions options,
    TimeProvider time)
{
    public const int MaxRegisterPage = 500;

    public async Task<PrescriptionShare> ShareAsync(string patientNumber, string prescriptionId, ShareInput? input, CancellationToken ct)
    {
        var byPharmacy = input?.PharmacyId?.Trim();
        var pincode = input?.Pincode?.Trim();
        if (string.IsNullOrEmpty(byPharmacy) == string.IsNullOrEmpty(pincode))
            throw PharmacyErrors.Invalid(PharmacyErrors.InvalidShare, "Send exactly one of pharmacyId (one pharmacy) and pincode (broadcast).");
        if (pincode is not null && !Pincode().IsMatch(pincode))
            throw PharmacyErrors.Invalid(PharmacyErrors.InvalidShare, "pincode has 6 digits and does not start with 0.", "pincode");
        if (byPharmacy is not null && !FacilityIdShape().IsMatch(byPharmacy))
            throw PharmacyErrors.Invalid(PharmacyErrors.InvalidShare, "pharmacyId is a facility id such as IN2810014366.", "pharmacyId");

        var prescription = await OwnPrescriptionAsync(patientNumber, prescriptionId, ct);
        EnsureValid(prescription);
        IReadOnlyList<PharmacyInfo> targets = byPharmacy is not null
            ? [await pharmacies.FindAsync(byPharmacy, ct)
               ?? throw new DomainException(ErrorKind.NotFound, PharmacyErrors.PharmacyNotFound, "No such pharmacy.",
                   "The facility is not a verified, active pharmacy served by a pharmacy partner.")]
            : await pharmacies.InPincodeAsync(pincode!, options.MaxBroadcastPharmacies, ct);
        if (targets.Count == 0)
            throw new DomainException(ErrorKind.NotFound, PharmacyErrors.NoPharmacies, "No verified pharmacy serves this pincode.");

        var share = new PrescriptionShare(Guid.NewGuid().ToString(), prescription.Id, patientNumber, pincode, time.GetUtcNow(),
            targets.Select(t => new ShareTarget(t.FacilityId, t.Name, t.PartnerId, null)).ToList(), null);
        await shares.CreateAsync(share, ct);
        await audit.RecordAsync(patientNumber, "prescription.share", PharmacyAudit.ShareResource, share.Id,
            $"shared prescription {prescription.Id} with {targets.Count} pharmacies", ct);
        foreach (var target in targets) await notifier.SharedAsync(target.PartnerId, share.Id, target.FacilityId, ct);
        return share;
    }

    public async Task<PrescriptionShare> GetShareForPatientAsync(string patientNumber, string shareId, CancellationToken ct)
    {
        var share = (await shares.FindAsync(shareId, ct))?.Value;
        if (share is null || share.PatientNumber != patientNumber) throw PharmacyErrors.ShareMissing();
        await audit.RecordAsync(patientNumber, "prescription-share.read", PharmacyAudit.ShareResource, share.Id, "read", ct);
        return share;
    }

    /// <summary>A pharmacy's view of a share sent to it: the prescription (signed document included) and its own quote.</summary>
    public async Task<(PrescriptionShare Share, ShareTarget Target, Prescription Prescription)> GetShareForPharmacyAsync(string partnerId, string shareId,
        string? pharmacyId, CancellationToken ct)
    {
        var (share, target) = await SharedWithAsync(partnerId, shareId, pharmacyId, ct);
        var prescription = await prescriptions.FindAsync(share.Value.PrescriptionId, ct) ?? throw PharmacyErrors.ShareMissing();
        await audit.RecordAsync(share.Value.PatientNumber, "prescription-share.read", PharmacyAudit.ShareResource, share.Value.Id,
            $"read by pharmacy {target.PharmacyId}", ct);
        return (share.Value, target, prescription);
    }

    public async Task<Quote> QuoteAsync(string partnerId, string shareId, QuoteInput? input, CancellationToken ct)
    {
        if (input?.Lines is not { Count: > 0 } lines) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidQuote, "lines must quote at least one item.", "lines");
        for (var attempt = 0; ; attempt++)
        {
            var (share, target) = await SharedWithAsync(partnerId, shareId, input.PharmacyId, ct);
            if (share.Value.OrderId is not null)
                throw new DomainException(ErrorKind.Conflict, PharmacyErrors.InvalidQuote, "The patient has already ordered.", "Quotes close when the patient orders.");
            var prescription = await prescriptions.FindAsync(share.Value.PrescriptionId, ct) ?? throw PharmacyErrors.ShareMissing();
            EnsureValid(prescription);
            var quote = new Quote(target.PharmacyId, time.GetUtcNow(), QuoteLines(prescription, lines));
            try
            {
                await shares.ReplaceAsync(share.Value.WithQuote(quote), share.ETag, ct);
            }
            catch (DomainException e) when (e.Kind == ErrorKind.PreconditionFailed && attempt < 3)
            {
                continue;
            }

            await audit.RecordAsync(share.Value.PatientNumber, "prescription-share.quote", PharmacyAudit.ShareResource, share.Value.Id,
                $"quoted by pharmacy {target.PharmacyId}", ct);
            return quote;
        }
    }

    /// <summary>The patient picks a pharmacy's quote: the order is created PLACED and the pharmacy told (through the queue).</summary>
    public async Task<Order> PlaceOrderAsync(string patientNumber, string shareId, PlaceOrderInput? input, CancellationToken ct)
    {
        var pharmacyId = input?.PharmacyId?.Trim();
        if (string.IsNullOrEmpty(pharmacyId)) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidQuote, "pharmacyId names the quote you pick.", "pharmacyId");
        var found = await shares.FindAsync(shareId, ct);
        if (found is null || found.Value.PatientNumber != patientNumber) throw PharmacyErrors.ShareMissing();
        var share = found.Value;
        if (share.OrderId is not null)
            throw new DomainException(ErrorKind.Conflict, PharmacyErrors.InvalidQuote, "This share was already ordered.",
                $"Order {share.OrderId} was placed from it; share the prescription again for another order.",
                new Dictionary<string, object?> { ["orderId"] = share.OrderId });
        var target = share.Target(pharmacyId);
        if (target?.Quote is not { } quote)
            throw new DomainException(ErrorKind.NotFound, PharmacyErrors.QuoteNotFound, "That pharmacy has not quoted for this share.");
        var prescription = await prescriptions.FindAsync(share.PrescriptionId, ct) ?? throw PharmacyErrors.PrescriptionMissing();
        EnsureValid(prescription);
        var lines = quote.Lines.Where(l => l.Available && l.Quantity > 0).Select(l => new OrderLine(l.Line, prescription.Item(l.Line)!.DrugCode, l.DrugCode,
            l.DrugName, l.Substituted, l.Quantity, l.UnitPrice, catalogue.Find(l.DrugCode)?.Schedule ?? prescription.Item(l.Line)!.Schedule)).ToList();
        if (lines.Count == 0)
            throw new DomainException(ErrorKind.Conflict, PharmacyErrors.InvalidQuote, "The quote offers nothing available.");

        var now = time.GetUtcNow();
        var placed = new OrderEventRecord(Guid.NewGuid().ToString(), OrderStatus.Placed, now, "patient", null, true);
        var order = new Order(Guid.NewGuid().ToString(), share.Id, prescription.Id, patientNumber, target.PharmacyId, target.PartnerId, lines,
            OrderStatus.Placed, now, now, [], null, []);
        // The share closes first: a second pick of the same share loses the If-Match race and places nothing.
        await shares.ReplaceAsync(share with { OrderId = order.Id }, found.ETag, ct);
        await orders.TryCreateAsync(order, ct);
        await audit.RecordAsync(patientNumber, "pharmacy-order.place", PharmacyAudit.OrderResource, order.Id, $"placed at pharmacy {target.PharmacyId}", ct);
        await queue.SendAsync(new OrderEventMessage(order.Id, placed.EventId, OrderStatuses.Name(OrderStatus.Placed), placed.Actor, now, null), ct);
        return order;
    }

    /// <summary>A pharmacy step (ACCEPTED, REJECTED, PACKED, DISPATCHED, DELIVERED): checked, then queued. 409 names the current state.</summary>
    public Task<OrderEventMessage> RequestPharmacyStepAsync(string partnerId, string orderId, string? status, string? reason, CancellationToken ct) =>
        RequestAsync(orderId, status, reason, "pharmacy", async order =>
        {
            var served = await pharmacies.ServedByAsync(partnerId, ct);
            return served.Contains(order.PharmacyId);
        }, OrderStatuses.IsPharmacyStep, ct);

    public Task<OrderEventMessage> CancelAsync(string patientNumber, string orderId, string? reason, CancellationToken ct) =>
        RequestAsync(orderId, OrderStatuses.Name(OrderStatus.Cancelled), reason, "patient", order => Task.FromResult(order.PatientNumber == patientNumber),
            s => s == OrderStatus.Cancelled, ct);

    public async Task<Order> GetOrderForPatientAsync(string patientNumber, string orderId, CancellationToken ct)
    {
        var order = (await orders.FindAsync(orderId, ct))?.Value;
        if (order is null || order.PatientNumber != patientNumber) throw PharmacyErrors.OrderMissing();
        await audit.RecordAsync(patientNumber, "pharmacy-order.read", PharmacyAudit.OrderResource, order.Id, "read by patient", ct);
        return order;
    }

    public async Task<(Order Order, Prescription Prescription)> GetOrderForPharmacyAsync(string partnerId, string orderId, CancellationToken ct)
    {
        var order = (await orders.FindAsync(orderId, ct))?.Value;
        if (order is null || !(await pharmacies.ServedByAsync(partnerId, ct)).Contains(order.PharmacyId)) throw PharmacyErrors.OrderMissing();
        var prescription = await prescriptions.FindAsync(order.PrescriptionId, ct) ?? throw PharmacyErrors.OrderMissing();
        await audit.RecordAsync(order.PatientNumber, "pharmacy-order.read", PharmacyAudit.OrderResource, order.Id, $"read by pharmacy {order.PharmacyId}", ct);
        return (order, prescription);
    }

    public async Task<IReadOnlyList<DispensingRegisterEntry>> RegisterAsync(DateTimeOffset? from, DateTimeOffset? to, int? take, CancellationToken ct)
    {
        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-30);
        if (start > end) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidRegisterQuery, "from must not be after to.", "from");
        if (take is < 1 or > MaxRegisterPage) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidRegisterQuery, $"take is 1-{MaxRegisterPage}.", "take");
        var entries = await register.ListAsync(start, end, take ?? 100, ct);
        await audit.RecordRegisterReadAsync(entries.Count, ct);
        return entries;
    }

    private async Task<OrderEventMessage> RequestAsync(string orderId, string? statusText, string? reason, string actor, Func<Order, Task<bool>> owns,
        Func<OrderStatus, bool> mayAsk, CancellationToken ct)
    {
        if (!OrderStatuses.TryParse(statusText, out var status) || !mayAsk(status))
            throw PharmacyErrors.Invalid(PharmacyErrors.InvalidOrderTransition,
                actor == "pharmacy" ? "status is one of ACCEPTED, REJECTED, PACKED, DISPATCHED, DELIVERED." : "Only CANCELLED.", "status");
        if (reason is { Length: > 200 }) throw PharmacyErrors.Invalid(PharmacyErrors.InvalidOrderTransition, "reason is at most 200 characters.", "reason");
        var order = (await orders.FindAsync(orderId, ct))?.Value;
        if (order is null || !await owns(order)) throw PharmacyErrors.OrderMissing();
        if (!OrderStatuses.CanMove(order.Status, status))
            throw new DomainException(ErrorKind.Conflict, PharmacyErrors.OrderTransitionNotAllowed, "The order cannot move to that state now.",
                $"The order is {OrderStatuses.Name(order.Status)}; it cannot become {OrderStatuses.Name(status)}.",
                new Dictionary<string, object?> { ["currentStatus"] = OrderStatuses.Name(order.Status), ["requested"] = OrderStatuses.Name(status) });
        var message = new OrderEventMessage(order.Id, Guid.NewGuid().ToString(), OrderStatuses.Name(status), actor, time.GetUtcNow(), reason?.Trim());
        await audit.RecordAsync(order.PatientNumber, "pharmacy-order.request", PharmacyAudit.OrderResource, order.Id,
            $"{actor} asked for {message.Status}", ct);
        await queue.SendAsync(message, ct);
        return message;
    }

    private IReadOnlyList<QuoteLine> QuoteLines(Prescription prescription, IReadOnlyList<QuoteLineInput> lines)
    {
        var result = new List<QuoteLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var item = line?.Line is { } n ? prescription.Item(n) : null;
            if (line is null || item is null || result.Any(r => r.Line == item.Line))
                throw PharmacyErrors.Invalid(PharmacyErrors.InvalidQuote, $"lines[{i}].line must name a prescription item (1-{prescription.Items.Count}) once.",
                    $"lines[{i}].line");
            var available = line.Available ?? true;
            var quantity = line.Quantity ?? item.Quantity;
            if (quantity < 0 || quantity > item.Quantity)
                throw PharmacyErrors.Invalid(PharmacyErrors.InvalidQuote, $"lines[{i}].quantity is 0-{item.Quantity} (what was prescribed).", $"lines[{i}].quantity");
            if (line.UnitPrice is not { } price || price < 0 || price > 1_000_000 || decimal.Round(price, 2) != price)
                throw PharmacyErrors.Invalid(PharmacyErrors.InvalidQuote, $"lines[{i}].unitPrice is a non-negative amount with at most 2 decimals.",
                    $"lines[{i}].unitPrice");
            var drug = catalogue.Find(item.DrugCode)!;
            var substituted = false;
            if (!string.IsNullOrWhiteSpace(line.SubstituteDrugCode) && line.SubstituteDrugCode.Trim() != item.DrugCode)
            {
                if (!item.SubstitutionAllowed)
                    throw new DomainException(ErrorKind.Validation, PharmacyErrors.SubstitutionNotAllowed, "The doctor did not allow substitution.",
                        $"Item {item.Line} ({item.DrugName}) must be dispensed as prescribed.",
                        new Dictionary<string, object?> { ["field"] = $"lines[{i}].substituteDrugCode", ["drug"] = item.DrugCode });
                var substitute = catalogue.Find(line.SubstituteDrugCode.Trim());
                if (substitute is null || !substitute.IsSubstituteFor(drug))
                    throw new DomainException(ErrorKind.Validation, PharmacyErrors.SubstituteNotEquivalent, "The substitute is not equivalent.",
                        $"A substitute for {drug.Name} has the same composition ({drug.Composition}) and strength ({drug.Strength}).",
                        new Dictionary<string, object?> { ["field"] = $"lines[{i}].substituteDrugCode", ["drug"] = line.SubstituteDrugCode });
                drug = substitute;
                substituted = true;
            }

            result.Add(new QuoteLine(item.Line, drug.Code, drug.Name, substituted, available, available ? quantity : 0, price));
        }

        return result;
    }

    private async Task<(Ndhm.Core.Concurrency.Versioned<PrescriptionShare> Share, ShareTarget Target)> SharedWithAsync(string partnerId, string shareId,
        string? pharmacyId, CancellationToken ct)
    {
        var share = await shares.FindAsync(shareId, ct) ?? throw PharmacyErrors.ShareMissing();
        var served = await pharmacies.ServedByAsync(partnerId, ct);
        var target = share.Value.Pharmacies.Where(p => served.Contains(p.PharmacyId) && (pharmacyId is null || p.PharmacyId == pharmacyId.Trim())).ToList();
        // A partner serving several of the share's pharmacies must say which one quotes.
        return target.Count == 1 ? (share, target[0]) : throw PharmacyErrors.ShareMissing();
    }

    private async Task<Prescription> OwnPrescriptionAsync(string patientNumber, string prescriptionId, CancellationToken ct)
    {
        var prescription = await prescriptions.FindAsync(prescriptionId, ct);
        return prescription is not null && prescription.PatientNumber == patientNumber ? prescription : throw PharmacyErrors.PrescriptionMissing();
    }

    private void EnsureValid(Prescription prescription)
    {
        if (!prescription.IsValidAt(time.GetUtcNow())) throw PharmacyErrors.Expired(prescription.ValidUntil);
    }

    [GeneratedRegex("^[1-9][0-9]{5}$")]
    private static partial Regex Pincode();

    [GeneratedRegex("^IN[0-9]{10}$")]
    private static partial Regex FacilityIdShape();
}
