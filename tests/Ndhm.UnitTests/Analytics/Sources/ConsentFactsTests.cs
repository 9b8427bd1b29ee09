using Ndhm.Analytics;
using Ndhm.Consent;
using Ndhm.Infrastructure.Analytics;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class ConsentFactsTests : IDisposable
{
    private readonly ConsentRig rig = new();
    private readonly RecordingFacts facts = new();
    private readonly ConsentManager manager;

    public ConsentFactsTests() => manager = rig.Build(new ConsentFacts(rig.Store, facts), rig.Notifier);

    public void Dispose() => rig.Dispose();

    private Task<ConsentRecord> RequestAsync(string purpose = "CAREMGT") =>
        manager.CreateAsync(ConsentRig.HiuPartner, Guid.NewGuid().ToString(), ConsentRig.Request(purpose), CancellationToken.None);

    [Fact]
    public async Task GivenARequestGrantedAndAnotherDenied_WhenRecorded_ThenOneFactPerOutcomeByPurposeWithoutIdentities()
    {
        var granted = await RequestAsync();
        var denied = await RequestAsync("PUBHLTH");

        await manager.GrantAsync(rig.Patient, granted.Id, null, CancellationToken.None);
        await manager.DenyAsync(rig.Patient, denied.Id, "not now", CancellationToken.None);

        var cells = facts.Of(ConsentFacts.Measure).Select(RecordingFacts.Normalised).Select(f => f.Cell).Order().ToList();
        Assert.Equal(
            ["unknown|unknown|unknown|CAREMGT|GRANTED", "unknown|unknown|unknown|CAREMGT|REQUESTED",
             "unknown|unknown|unknown|PUBHLTH|DENIED", "unknown|unknown|unknown|PUBHLTH|REQUESTED"], cells);
        Assert.All(facts.Stored.Values, f => Assert.Equal(new DateOnly(2026, 12, 3), f.Day));
        var text = string.Join("\n", facts.Stored.Values.SelectMany(f => f.Dimensions.Values).Append(string.Join(",", facts.Stored.Values.Select(f => f.FacilityId))));
        Assert.DoesNotContain(ConsentRig.PatientNumber, text);
        Assert.DoesNotContain(ConsentRig.Hiu, text);
        Assert.DoesNotContain("not now", text);
    }

    [Fact]
    public async Task GivenAGrant_WhenItsNotificationIsMarkedAndTheRecordWrittenAgain_ThenNoNewFact()
    {
        var record = await RequestAsync();
        await manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None);
        var found = (await rig.Store.FindAsync(record.Id, CancellationToken.None))!;
        var decorated = new ConsentFacts(rig.Store, facts);

        await decorated.ReplaceAsync(found.Value.MarkNotified(found.Value.Events[^1].Seq), found.ETag, CancellationToken.None);

        Assert.Equal(2, facts.Stored.Count);
        Assert.Null(ConsentFacts.FactOf(rig.Store.Get(record.Id), creating: false));
    }

    [Fact]
    public async Task GivenTheSameDecisionWrittenTwice_WhenRecorded_ThenItIsOneFact()
    {
        var record = await RequestAsync();
        var granted = await manager.GrantAsync(rig.Patient, record.Id, null, CancellationToken.None);

        var again = ConsentFacts.FactOf(granted, creating: false)!;
        await facts.RecordAsync(again, CancellationToken.None);

        Assert.Equal(AnalyticsFactIds.For(ConsentFacts.Measure, record.Id, "GRANTED"), again.Id);
        Assert.Single(facts.Of(ConsentFacts.Measure), f => f.Dimensions["outcome"] == "GRANTED");
    }

    [Fact]
    public async Task GivenTheFactStoreDown_WhenARequestIsMade_ThenItFailsAndNothingIsStored()
    {
        facts.Failing = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => RequestAsync());

        Assert.Empty(await rig.Store.ListForPatientAsync(ConsentRig.PatientNumber, null, false, 10, CancellationToken.None));
    }
}
