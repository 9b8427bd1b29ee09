using Ndhm.Analytics;
using Ndhm.Core.Concurrency;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Catalogue;
using Ndhm.Pharmacy.Orders;
using Ndhm.Pharmacy.Prescriptions;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class PharmacyFactsTests
{
    private static readonly DateTimeOffset Placed = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly DrugCatalogue Catalogue = DrugCatalogue.Sample();
    private readonly RecordingFacts facts = new();

    private static Prescription Prescription()
    {
        var catalogue = DrugCatalogue.Sample();
        var items = new[] { "SAMPLE-PCM-500-TAB", "SAMPLE-AMOX-500-CAP" }.Select((code, i) =>
        {
            var drug = catalogue.Find(code)!;
            return new PrescribedItem(i + 1, drug.Code, drug.Name, drug.Composition, drug.Strength, drug.Form, drug.Schedule, drug.List, "1 tablet", 3, 5, 15,
                true, "after food");
        }).ToList();
        return new Prescription("rx-1", "c1", "71234567890123", "Dr. Meera Iyer", "91123456789012", "IN2810000001", "R50", "Fever since Monday",
            Placed, Placed.AddDays(30), items, "call me", "");
    }

    private static Order Order(params (OrderStatus Status, int Minutes, bool Applied)[] events)
    {
        var order = new Order("order-1", "share-1", "rx-1", "91123456789012", "IN2810000007", "pharmacy-partner",
            [new OrderLine(1, "SAMPLE-PCM-500-TAB", "SAMPLE-PCM-500-TAB", "Paracetamol", false, 15, 1m, DrugSchedule.Otc),
             new OrderLine(2, "SAMPLE-AMOX-500-CAP", "SAMPLE-AMOX-500-CAP", "Amoxicillin", false, 15, 6.5m, DrugSchedule.H)],
            OrderStatus.Placed, Placed, Placed, [new OrderEventRecord("e0", OrderStatus.Placed, Placed, "patient", null, true)], null, []);
        var n = 0;
        foreach (var (status, minutes, applied) in events)
        {
            order = order.Apply(new OrderEventRecord("e" + ++n, status, Placed.AddMinutes(minutes), "pharmacy", null, applied));
        }

        return order;
    }

    [Fact]
    public async Task GivenAPrescription_WhenStored_ThenOneFactPerItemByDrugClassAndSchedule_AndNoTextOrIdentity()
    {
        var store = new PrescriptionFacts(new Prescriptions(), facts, Catalogue);

        await store.CreateAsync(Prescription(), CancellationToken.None);
        await store.CreateAsync(Prescription(), CancellationToken.None);

        var stored = facts.Of(PrescriptionFacts.Measure);
        Assert.Equal(["unknown|unknown|unknown|J01|H", "unknown|unknown|unknown|N02|OTC"], stored.Select(f => RecordingFacts.Normalised(f).Cell).Order());
        Assert.All(stored, f => Assert.Equal(("IN2810000001", new DateOnly(2026, 12, 3)), (f.FacilityId, f.Day)));
        Assert.DoesNotContain(stored.SelectMany(f => f.Dimensions.Values), v => v is "91123456789012" or "71234567890123" or "R50" or "Fever since Monday");
    }

    [Fact]
    public void GivenAnOrderDeliveredAfter95Minutes_WhenItsFactsAreMade_ThenAnOrderWithTurnaroundAndOneDispensingPerLine()
    {
        var delivered = Order((OrderStatus.Accepted, 5, true), (OrderStatus.Packed, 20, true), (OrderStatus.Dispatched, 30, true), (OrderStatus.Delivered, 95, true));

        var made = OrderFacts.FactsOf(delivered, Catalogue);

        var order = Assert.Single(made, f => f.Measure == OrderFacts.OrdersMeasure);
        Assert.Equal(("pharmacy|unknown|unknown|DELIVERED", 95d, "pharmacy|IN2810000007"),
            (RecordingFacts.Normalised(order).Cell, RecordingFacts.Normalised(order).Value, RecordingFacts.Normalised(order).Facility));
        Assert.Equal(["pharmacy|unknown|unknown|J01|H", "pharmacy|unknown|unknown|N02|OTC"],
            made.Where(f => f.Measure == OrderFacts.DispensingsMeasure).Select(f => RecordingFacts.Normalised(f).Cell).Order());
    }

    [Fact]
    public void GivenAnOrderInProgress_OrALateEventRefusedOnAnEndedOne_WhenItsFactsAreMade_ThenNone()
    {
        Assert.Empty(OrderFacts.FactsOf(Order((OrderStatus.Accepted, 5, true)), Catalogue));
        Assert.Empty(OrderFacts.FactsOf(Order((OrderStatus.Cancelled, 5, true), (OrderStatus.Accepted, 9, false)), Catalogue));
        Assert.Equal("CANCELLED", Assert.Single(OrderFacts.FactsOf(Order((OrderStatus.Cancelled, 5, true)), Catalogue)).Dimensions["outcome"]);
    }

    [Fact]
    public async Task GivenADeliveredOrder_WhenItsWriteIsRetried_ThenEachFactIsStoredOnce()
    {
        var orders = new Orders();
        var store = new OrderFacts(orders, facts, Catalogue);
        var delivered = Order((OrderStatus.Accepted, 5, true), (OrderStatus.Packed, 20, true), (OrderStatus.Dispatched, 30, true), (OrderStatus.Delivered, 95, true));

        await store.TryReplaceAsync(delivered, "e1", CancellationToken.None);
        await store.TryReplaceAsync(delivered, "e1", CancellationToken.None);

        Assert.Equal(6, facts.Attempts);
        Assert.Equal(3, facts.Stored.Count);
        Assert.Equal(2, orders.Writes);
    }

    private sealed class Prescriptions : IPrescriptionStore
    {
        public Task CreateAsync(Prescription prescription, CancellationToken ct) => Task.CompletedTask;

        public Task<Prescription?> FindAsync(string prescriptionId, CancellationToken ct) => Task.FromResult<Prescription?>(null);
    }

    private sealed class Orders : IOrderStore
    {
        public int Writes { get; private set; }

        public Task<bool> TryCreateAsync(Order order, CancellationToken ct) => Task.FromResult(true);

        public Task<Versioned<Order>?> FindAsync(string orderId, CancellationToken ct) => Task.FromResult<Versioned<Order>?>(null);

        public Task<string?> TryReplaceAsync(Order order, string ifMatch, CancellationToken ct)
        {
            Writes++;
            return Task.FromResult<string?>("e" + (Writes + 1));
        }
    }
}
