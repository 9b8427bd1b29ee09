using System.Net;
using Ndhm.Analytics;
using Ndhm.IntegrationTests.Consents;
using Ndhm.IntegrationTests.DataTransfer;

namespace Ndhm.IntegrationTests.Analytics;

/// <summary>
/// The exchange's own events reach the aggregates over the real host: the HIP links care contexts, the HIU asks for
/// consent twice (one granted, one denied), the granted one is used for a transfer; each event is one de-identified
/// fact in the outbox (id from its source, no identity), and the host's change-feed refresh folds it into its slice.
/// </summary>
public sealed class ExchangeFactsTests(TransferHostFixture sandbox) : IClassFixture<TransferHostFixture>
{
    [Fact]
    public async Task GivenLinksAConsentGrantedAndOneDenied_AndATransfer_WhenTheRefreshRuns_ThenEachEventIsOneFactFoldedIntoTheAggregates()
    {
        // Arrange: the world's HIP linked OP-1 and LAB-2 for the patient.
        var flow = new TransferFlow(sandbox, await sandbox.WorldAsync());
        var world = flow.World;
        var digits = new string(world.PatientNumber.Where(char.IsAsciiDigit).ToArray()); // never in a fact, nor its plain hash

        // Act
        var grantedId = await world.RequestConsentAsync(world.Consent(purpose: "CAREMGT"));
        var granted = await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{grantedId}/grant");
        var deniedId = await world.RequestConsentAsync(world.Consent(purpose: "PUBHLTH"));
        await world.PatientAsync(HttpMethod.Post, $"v1/patients/me/consent-requests/{deniedId}/deny");
        var transactionId = await flow.TransactionAsync(granted.GetProperty("artefacts")[0].GetProperty("id").GetString()!);
        await flow.HipDeliversAsync((await flow.HipRequestsAsync(transactionId, TimeSpan.FromSeconds(60)))[0]);
        var closed = await flow.ClosedAsync(transactionId, TimeSpan.FromSeconds(60));

        // Assert: the facts, by the ids their sources give them.
        // Linking facts are keyed by a keyed hash of the patient (the host's key), so they are found by the world's own HIP.
        var links = await AnalyticsOutbox.OfFacilityAsync("linkings", world.Hip);
        Assert.Equal(ConsentHostFixture.LinkedCareContexts.Length, links.Count);
        Assert.Single(await AnalyticsOutbox.OfFacilityAsync("linking-patients", world.Hip)); // one patient, one day
        Assert.DoesNotContain(links, l => ConsentHostFixture.LinkedCareContexts.Any(r =>
            l.GetProperty("id").GetString() == AnalyticsFactIds.For("linkings", digits + "\n" + world.Hip, r)));
        Assert.All(links, l => Assert.Equal(("hip", world.Hip), (AnalyticsOutbox.Dimension(l, "initiator"), l.GetProperty("facilityId").GetString())));
        var consents = new Dictionary<string, (string Id, string Outcome)>
        {
            ["requested"] = (grantedId, "REQUESTED"), ["granted"] = (grantedId, "GRANTED"),
            ["requested again"] = (deniedId, "REQUESTED"), ["denied"] = (deniedId, "DENIED"),
        };
        foreach (var (_, (id, outcome)) in consents)
        {
            var fact = await AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("consent-requests", id, outcome));
            Assert.Equal((outcome, id == grantedId ? "CAREMGT" : "PUBHLTH"),
                (AnalyticsOutbox.Dimension(fact, "outcome"), AnalyticsOutbox.Dimension(fact, "purpose")));
        }

        Assert.Null(await AnalyticsOutbox.FindAsync(AnalyticsFactIds.For("consent-requests", deniedId, "GRANTED")));
        // The patient enrolled on the platform: facts about her carry her codes kept at enrolment, never her number.
        var grantedFact = await AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("consent-requests", grantedId, "GRANTED"));
        Assert.Contains(AnalyticsOutbox.Dimension(grantedFact, "gender"), new[] { "M", "F", "O", "U" });
        Assert.Matches("^[0-9]+(-[0-9]+|\\+)$", AnalyticsOutbox.Dimension(grantedFact, "ageBand"));
        Assert.All(links, l => Assert.Equal(AnalyticsOutbox.Dimension(grantedFact, "gender"), AnalyticsOutbox.Dimension(l, "gender")));
        var transfer = await AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("transfers", transactionId));
        Assert.Equal(closed.GetProperty("status").GetString(), AnalyticsOutbox.Dimension(transfer, "outcome"));
        Assert.InRange(transfer.GetProperty("value").GetDouble(), 1, 120_000);
        var text = string.Join("\n", new[] { transfer }.Concat(links).Select(f => f.GetRawText()));
        Assert.DoesNotContain(digits, text);
        Assert.DoesNotContain(world.PatientAddress, text);
        Assert.DoesNotContain(world.HiuClient, text);

        // The refresh (the host's change-feed timer) folds each into its slice: the cell holds it.
        foreach (var fact in new[] { links[0], transfer, await AnalyticsOutbox.FactAsync(AnalyticsFactIds.For("consent-requests", deniedId, "DENIED")) })
        {
            var slice = await AnalyticsOutbox.FoldedAsync(fact);
            Assert.True(slice.Cells.TryGetValue(AnalyticsOutbox.Cell(fact), out var cell) && cell.Count >= 1, $"{slice.Key.Id} lacks {AnalyticsOutbox.Cell(fact)}");
        }

        var transferSlice = await AnalyticsOutbox.FoldedAsync(transfer);
        Assert.True(transferSlice.Cells[AnalyticsOutbox.Cell(transfer)].Sum >= transfer.GetProperty("value").GetDouble());
    }
}
