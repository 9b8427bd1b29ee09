using Ndhm.Analytics;
using Ndhm.Infrastructure.Analytics;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class PersonCodedFactsTests
{
    private const string Ravi = "91123456789012";
    private readonly RecordingFacts outbox = new();
    private readonly Persons persons = new();
    private readonly AnalyticsPersonKeys keys = new(new FixedKeySource());

    [Fact]
    public async Task GivenAFactAboutAnEnrolledPerson_WhenRecorded_ThenItCarriesTheirCodes_AndTheOutboxNeverSeesTheNumber()
    {
        await persons.RememberAsync(await keys.KeyAsync(Ravi, CancellationToken.None), new PersonCodes("TG", "500", 1990, 3, "M"), CancellationToken.None);
        var facts = new PersonCodedFacts(outbox, persons, keys);

        await facts.RecordAsync(Fact("a", Ravi), CancellationToken.None);

        var stored = Assert.Single(outbox.Stored.Values);
        Assert.Null(stored.Patient);
        Assert.Equal(("TG", "500", "30-44", "M"), (stored.Dimensions["state"], stored.Dimensions["district"], stored.Dimensions["ageBand"], stored.Dimensions["gender"]));
        Assert.DoesNotContain(Ravi, stored.ToString());
        Assert.Equal("unknown|30-44|M|patient", RecordingFacts.Normalised(stored).Cell);
    }

    [Fact]
    public async Task GivenAPersonWithoutCodes_OrAFactWithItsOwn_WhenRecorded_ThenUnknownOrTheSourcesOwnValuesStay()
    {
        await persons.RememberAsync(await keys.KeyAsync(Ravi, CancellationToken.None), new PersonCodes("TG", "500", 1990, 3, "M"), CancellationToken.None);
        var facts = new PersonCodedFacts(outbox, persons, keys);
        var own = Fact("own", Ravi) with { Dimensions = new Dictionary<string, string?> { ["initiator"] = "hip", ["gender"] = "F" } };

        await facts.RecordAsync(Fact("stranger", "91999999999999"), CancellationToken.None);
        await facts.RecordAsync(own, CancellationToken.None);

        Assert.False(outbox.Stored["stranger"].Dimensions.ContainsKey("state"));
        Assert.Null(outbox.Stored["stranger"].Patient);
        Assert.Equal(("F", "TG"), (outbox.Stored["own"].Dimensions["gender"], outbox.Stored["own"].Dimensions["state"]));
    }

    [Fact]
    public async Task GivenAnErasedAccount_WhenItsErasureStepRuns_ThenItsCodesAreGone()
    {
        var key = await keys.KeyAsync(Ravi, CancellationToken.None);
        await persons.RememberAsync(key, new PersonCodes("TG", "500", 1990, 3, "M"), CancellationToken.None);

        await new AnalyticsPersonErasure(persons, keys).EraseAsync(new Ndhm.Privacy.Export.PatientDataSubject(Ravi), CancellationToken.None);

        Assert.Null(await persons.FindAsync(key, CancellationToken.None));
    }

    private static AnalyticsFact Fact(string id, string patient) =>
        new(id, "linkings", new DateOnly(2026, 12, 4), new Dictionary<string, string?> { ["initiator"] = "patient" }, Patient: patient);

    private sealed class Persons : IAnalyticsPersons
    {
        private readonly Dictionary<string, PersonCodes> codes = new(StringComparer.Ordinal);

        public Task RememberAsync(string personKey, PersonCodes personCodes, CancellationToken ct)
        {
            codes[personKey] = personCodes;
            return Task.CompletedTask;
        }

        public Task<PersonCodes?> FindAsync(string personKey, CancellationToken ct) =>
            Task.FromResult(codes.TryGetValue(personKey, out var found) ? found : null);

        public Task ForgetAsync(string personKey, CancellationToken ct)
        {
            codes.Remove(personKey);
            return Task.CompletedTask;
        }
    }
}
