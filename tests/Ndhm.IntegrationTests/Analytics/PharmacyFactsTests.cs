using Ndhm.Analytics;
using Ndhm.IntegrationTests.Pharmacy;

namespace Ndhm.IntegrationTests.Analytics;

/// <summary>
/// E-prescribing and fulfilment reach the aggregates over the real host and the order queue: a prescription of two
/// items is two facts by schedule list, an order delivered is one order fact with its turnaround and one dispensing
/// fact per line, each stored once although the queue trigger may run an event more than once.
/// </summary>
public sealed class PharmacyFactsTests(PharmacyHostFixture host) : IClassFixture<PharmacyHostFixture>
{
    [Fact]
    public async Task GivenAPrescriptionOrderedAndDelivered_WhenTheRefreshRuns_ThenPrescriptionOrderAndDispensingFactsAreFoldedIn()
    {
        var world = await host.WorldAsync();
        var (pharmacy, pharmacyToken) = await host.PharmacyAsync(world.Admin, "Rx Analytics Pharmacy");

        var prescription = await world.PrescriptionAsync(PharmacyWorld.Item("SAMPLE-AMOX-500-CAP", 10), PharmacyWorld.Item("SAMPLE-PCM-500-TAB", 6));
        var order = await world.OrderAsync(prescription, pharmacy, pharmacyToken, lines: 2);
        var steps = new[] { "ACCEPTED", "PACKED", "DISPATCHED", "DELIVERED" };
        for (var i = 0; i < steps.Length; i++)
        {
            await world.StepAsync(order, pharmacyToken, steps[i]);
            await world.WaitForOrderAsync(order, o => PharmacyWorld.Has(o, steps[i], i + 2));
        }

        var items = await Task.WhenAll(new[] { "1", "2" }.Select(l => AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("prescriptions", prescription, l))));
        Assert.Equal(["H", "OTC"], items.Select(f => AnalyticsOutbox.Dimension(f, "drugList")).Order());
        Assert.Equal(["J01", "N02"], items.Select(f => AnalyticsOutbox.Dimension(f, "drugClass")).Order());
        Assert.All(items, f => Assert.Equal(world.Clinic, f.GetProperty("facilityId").GetString()));
        Assert.All(items, f => Assert.Equal("clinic", AnalyticsOutbox.Dimension(f, "facilityType")));
        var ended = await AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("orders", order));
        Assert.Equal(("DELIVERED", "pharmacy", pharmacy), (AnalyticsOutbox.Dimension(ended, "outcome"), AnalyticsOutbox.Dimension(ended, "facilityType"),
            ended.GetProperty("facilityId").GetString()));
        Assert.InRange(ended.GetProperty("value").GetDouble(), 0, 30);
        var dispensed = await Task.WhenAll(new[] { "1", "2" }.Select(l => AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("dispensings", order, l))));
        Assert.Equal(["H", "OTC"], dispensed.Select(f => AnalyticsOutbox.Dimension(f, "drugList")).Order());
        Assert.Equal(["J01", "N02"], dispensed.Select(f => AnalyticsOutbox.Dimension(f, "drugClass")).Order());
        Assert.Equal(0, await AnalyticsOutbox.CountAsync([AnalyticsFactIds.For("dispensings", order, "3"), AnalyticsFactIds.For("orders", order, "CANCELLED")]));
        var text = string.Join("\n", items.Concat(dispensed).Append(ended).Select(f => f.GetRawText()));
        Assert.DoesNotContain(world.Patient, text);
        Assert.DoesNotContain(world.Doctor, text);

        foreach (var fact in new[] { items[0], ended, dispensed[1] })
        {
            var slice = await AnalyticsOutbox.FoldedAsync(fact);
            Assert.True(slice.Cells.TryGetValue(AnalyticsOutbox.Cell(fact), out var cell) && cell.Count >= 1, $"{slice.Key.Id} lacks {AnalyticsOutbox.Cell(fact)}");
            Assert.True(slice.Facilities.ContainsKey("pharmacy|" + pharmacy) || fact.GetProperty("measure").GetString() == "prescriptions");
        }
    }
}
