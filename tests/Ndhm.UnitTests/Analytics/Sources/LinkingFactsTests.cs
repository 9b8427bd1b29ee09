using Ndhm.Analytics;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Linking;
using Ndhm.UnitTests.HealthId;
using Ndhm.UnitTests.Linking;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class LinkingFactsTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);
    private readonly RecordingFacts facts = new();
    private readonly InMemoryLinkStore inner = new();
    private readonly AnalyticsPersonKeys persons = new(new FixedKeySource());

    private static CareContextLinks Empty() => new()
    {
        AbhaNumber = "91123456789012", AbhaAddress = "ravi.kumar@sbx", HipId = "IN2810000002", PartnerId = "city-hospital",
        PatientReference = "P-1", PatientDisplay = "Ravi Kumar",
    };

    [Fact]
    public async Task GivenTwoLinkings_WhenSaved_ThenOneFactPerCareContextAdded_ByInitiatorAndHip_WithoutIdentities()
    {
        var store = new LinkingFacts(inner, facts, persons);
        var first = Empty().Add([new CareContext("OP-1", "Visit"), new CareContext("LAB-2", "Blood test")], LinkSource.Patient, Monday);
        var etag = await store.SaveLinksAsync(first, null, CancellationToken.None);

        await store.SaveLinksAsync(first.Add([new CareContext("IP-3", "Admission")], LinkSource.Hip, Monday.AddHours(1)), etag, CancellationToken.None);

        var stored = facts.Of(LinkingFacts.Measure);
        Assert.Equal(["unknown|unknown|unknown|hip", "unknown|unknown|unknown|patient", "unknown|unknown|unknown|patient"],
            stored.Select(f => RecordingFacts.Normalised(f).Cell).Order());
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)], stored.Select(f => f.Day).Order());
        Assert.All(stored, f => Assert.Equal("IN2810000002", f.FacilityId));
        Assert.DoesNotContain(stored.SelectMany(f => f.Dimensions.Values), v => v is "91123456789012" or "ravi.kumar@sbx" or "P-1" or "OP-1");
    }

    [Fact]
    public async Task GivenALinkSavedAgain_WhenAnotherContextIsUnlinked_ThenNoNewFact()
    {
        var store = new LinkingFacts(inner, facts, persons);
        var linked = Empty().Add([new CareContext("OP-1", "Visit"), new CareContext("LAB-2", "Blood test")], LinkSource.Patient, Monday);
        var etag = await store.SaveLinksAsync(linked, null, CancellationToken.None);

        await store.SaveLinksAsync(linked.Remove("LAB-2"), etag, CancellationToken.None);

        Assert.Equal(2, facts.Of(LinkingFacts.Measure).Count);
        Assert.Single(facts.Of(LinkingFacts.PatientsMeasure));
        var personKey = await persons.KeyAsync("91123456789012", CancellationToken.None);
        Assert.Equal(AnalyticsFactIds.For(LinkingFacts.Measure, personKey + "\nIN2810000002", "OP-1"), LinkingFacts.FactsOf(linked.Remove("LAB-2"), personKey)[0].Id);
    }

    [Fact]
    public async Task GivenTheSamePatient_WhenKeyed_ThenTheFactIdIsNotThePlainHashOfTheNumber_AndDependsOnTheKey()
    {
        var links = Empty().Add([new CareContext("OP-1", "Visit")], LinkSource.Hip, Monday);
        var other = new FixedKeySource();
        other.Keys[Ndhm.HealthId.Identity.HealthIdKeyPurpose.IdentityHash] = Enumerable.Range(50, 32).Select(i => (byte)i).ToArray();

        var id = LinkingFacts.FactsOf(links, await persons.KeyAsync(links.AbhaNumber, CancellationToken.None))[0].Id;
        var otherId = LinkingFacts.FactsOf(links, await new AnalyticsPersonKeys(other).KeyAsync(links.AbhaNumber, CancellationToken.None))[0].Id;

        Assert.NotEqual(AnalyticsFactIds.For(LinkingFacts.Measure, links.AbhaNumber + "\n" + links.HipId, "OP-1"), id);
        Assert.NotEqual(id, otherId);
    }

    [Fact]
    public async Task GivenAPatientLinkingThreeTimesOverTwoDays_AtTwoHips_WhenCounted_ThenLinkingPatientsCountsThemOnceADay()
    {
        var store = new LinkingFacts(inner, facts, persons);
        var atHospital = Empty().Add([new CareContext("OP-1", "Visit")], LinkSource.Patient, Monday.AddHours(-10));
        var etag = await store.SaveLinksAsync(atHospital, null, CancellationToken.None);
        await store.SaveLinksAsync(atHospital.Add([new CareContext("OP-2", "Visit")], LinkSource.Patient, Monday.AddHours(-5)), etag, CancellationToken.None);
        var atLab = (Empty() with { HipId = "IN2810000003" }).Add([new CareContext("LAB-1", "Test")], LinkSource.Hip, Monday.AddHours(1));
        await store.SaveLinksAsync(atLab, null, CancellationToken.None);

        var patients = facts.Of(LinkingFacts.PatientsMeasure);

        Assert.Equal(3, facts.Of(LinkingFacts.Measure).Count);
        Assert.Equal([new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 1)], patients.Select(f => f.Day).Order());
        Assert.All(patients, f => RecordingFacts.Normalised(f));
        Assert.DoesNotContain(patients, f => f.Id.Contains("91123456789012", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenTheFactStoreDown_WhenALinkIsSaved_ThenNothingIsSaved()
    {
        facts.Failing = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => new LinkingFacts(inner, facts, persons).SaveLinksAsync(
            Empty().Add([new CareContext("OP-1", "Visit")], LinkSource.Hip, Monday), null, CancellationToken.None));

        Assert.Null(await inner.FindLinksAsync("91123456789012", "IN2810000002", CancellationToken.None));
    }
}
