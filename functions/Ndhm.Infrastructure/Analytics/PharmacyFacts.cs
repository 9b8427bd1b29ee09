using Ndhm.Analytics;
using Ndhm.Core.Concurrency;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Reports each e-prescription's items when the prescription is stored: one fact per item, by schedule list (OTC, G,
/// H, H1, X) and the issuing facility. The fact id is the prescription id and the item's line, so a retried issue
/// counts once. The drug class is the catalogue's ATC level-2 code for the item's drug (<c>unknown</c> where the
/// catalogue gives none). Recorded before the write: a fact-store failure fails the issue with nothing stored.
/// </summary>
public sealed class PrescriptionFacts(IPrescriptionStore inner, IAnalyticsFacts facts, DrugCatalogue catalogue) : IPrescriptionStore
{
    public const string Measure = "prescriptions";

    public async Task CreateAsync(Prescription prescription, CancellationToken ct)
    {
        foreach (var fact in FactsOf(prescription, catalogue)) await facts.RecordAsync(fact, ct);
        await inner.CreateAsync(prescription, ct);
    }

    public static IEnumerable<AnalyticsFact> FactsOf(Prescription prescription, DrugCatalogue catalogue) =>
        prescription.Items.Select(item => new AnalyticsFact(
            AnalyticsFactIds.For(Measure, prescription.Id, item.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Measure, FactCodes.Day(prescription.IssuedAt),
            FactCodes.Dimensions(("drugClass", catalogue.Find(item.DrugCode)?.AtcClass), ("drugList", PharmacyFactCodes.List(item.Schedule))),
            FacilityId: prescription.FacilityId, Patient: prescription.PatientNumber));

    public Task<Prescription?> FindAsync(string prescriptionId, CancellationToken ct) => inner.FindAsync(prescriptionId, ct);
}

/// <summary>
/// Reports pharmacy orders when they end (DELIVERED, CANCELLED, REJECTED) with their turnaround from placing to the
/// end in minutes (the measure's value: count and sum kept, only a block's mean released), and, for a delivered order,
/// one dispensing fact per order line by drug class (the dispensed drug's ATC level 2) and schedule list. Facility type pharmacy and the pharmacy's public HFR id. The
/// end is the write whose last event was applied and is final: later (refused) events on an ended order report
/// nothing, and fact ids from the order id (and line) make a retried write count once. Recorded before the write: a
/// fact-store failure fails the queue message with nothing changed, and the queue retries it.
/// </summary>
public sealed class OrderFacts(IOrderStore inner, IAnalyticsFacts facts, DrugCatalogue catalogue) : IOrderStore
{
    public const string OrdersMeasure = "orders";
    public const string DispensingsMeasure = "dispensings";

    public Task<bool> TryCreateAsync(Order order, CancellationToken ct) => inner.TryCreateAsync(order, ct);

    public Task<Versioned<Order>?> FindAsync(string orderId, CancellationToken ct) => inner.FindAsync(orderId, ct);

    public async Task<string?> TryReplaceAsync(Order order, string ifMatch, CancellationToken ct)
    {
        foreach (var fact in FactsOf(order, catalogue)) await facts.RecordAsync(fact, ct);
        return await inner.TryReplaceAsync(order, ifMatch, ct);
    }

    /// <summary>The facts of the write that ends the order; none for any other write.</summary>
    public static IReadOnlyList<AnalyticsFact> FactsOf(Order order, DrugCatalogue catalogue)
    {
        if (order.Events.Count == 0 || order.Events[^1] is not { Applied: true } last || last.Status != order.Status
            || order.Status is not (OrderStatus.Delivered or OrderStatus.Cancelled or OrderStatus.Rejected))
        {
            return [];
        }

        var day = FactCodes.Day(last.At);
        var outcome = OrderStatuses.Name(order.Status);
        var turnaround = Math.Round(Math.Max(0, (last.At - order.CreatedAt).TotalMinutes), 1);
        var facts = new List<AnalyticsFact>
        {
            new(AnalyticsFactIds.For(OrdersMeasure, order.Id), OrdersMeasure, day,
                FactCodes.Dimensions(("facilityType", "pharmacy"), ("outcome", outcome)), FacilityId: order.PharmacyId, Value: turnaround,
                Patient: order.PatientNumber),
        };
        if (order.Status == OrderStatus.Delivered)
        {
            facts.AddRange(order.Lines.Select(line => new AnalyticsFact(
                AnalyticsFactIds.For(DispensingsMeasure, order.Id, line.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                DispensingsMeasure, day, FactCodes.Dimensions(("facilityType", "pharmacy"), ("drugClass", catalogue.Find(line.DrugCode)?.AtcClass),
                    ("drugList", PharmacyFactCodes.List(line.Schedule))),
                FacilityId: order.PharmacyId, Patient: order.PatientNumber)));
        }

        return facts;
    }
}

internal static class PharmacyFactCodes
{
    /// <summary>The definitions' schedule-list codes.</summary>
    public static string List(DrugSchedule schedule) => schedule switch
    {
        DrugSchedule.Otc => "OTC",
        DrugSchedule.G => "G",
        DrugSchedule.H => "H",
        DrugSchedule.H1 => "H1",
        _ => "X",
    };
}
