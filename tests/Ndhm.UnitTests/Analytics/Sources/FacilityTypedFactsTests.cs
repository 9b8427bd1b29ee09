using Microsoft.Extensions.Time.Testing;
using Ndhm.Analytics;
using Ndhm.Infrastructure.Analytics;
using Ndhm.Registry.Facilities;

namespace Ndhm.UnitTests.Analytics.Sources;

public sealed class FacilityTypedFactsTests
{
    private const string Lab = "IN2810000003";
    private const string Unknown = "IN2810000099";
    private readonly RecordingFacts outbox = new();
    private readonly Registry registry = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GivenFactsNamingAFacility_WhenRecorded_ThenTheyCarryItsHfrTypeReadOncePerCachePeriod()
    {
        var facts = new FacilityTypedFacts(outbox, registry, time);

        await facts.RecordAsync(Fact("a", Lab), CancellationToken.None);
        await facts.RecordAsync(Fact("b", Lab), CancellationToken.None);
        time.Advance(FacilityTypedFacts.CacheFor);
        await facts.RecordAsync(Fact("c", Lab), CancellationToken.None);

        Assert.All(outbox.Stored.Values, f => Assert.Equal("lab", f.Dimensions["facilityType"]));
        Assert.Equal(2, registry.Reads);
        Assert.Equal("lab|unknown|unknown|patient", RecordingFacts.Normalised(outbox.Stored["a"]).Cell);
    }

    [Fact]
    public async Task GivenAFactWithItsOwnType_OrNoFacility_OrAFacilityTheRegistryLacks_WhenRecorded_ThenNothingIsLookedUpOrTheTypeStaysUnknown()
    {
        var facts = new FacilityTypedFacts(outbox, registry, time);
        var own = Fact("own", Lab) with { Dimensions = new Dictionary<string, string?> { ["facilityType"] = "pharmacy", ["initiator"] = "hip" } };

        await facts.RecordAsync(own, CancellationToken.None);
        await facts.RecordAsync(Fact("none", null), CancellationToken.None);
        await facts.RecordAsync(Fact("lost", Unknown), CancellationToken.None);

        Assert.Equal("pharmacy", outbox.Stored["own"].Dimensions["facilityType"]);
        Assert.False(outbox.Stored["none"].Dimensions.ContainsKey("facilityType"));
        Assert.Equal("unknown|unknown|unknown|patient", RecordingFacts.Normalised(outbox.Stored["lost"]).Cell);
        Assert.Equal(1, registry.Reads);
    }

    [Theory]
    [InlineData(FacilityType.Hospital, "hospital")]
    [InlineData(FacilityType.DiagnosticLab, "lab")]
    [InlineData(FacilityType.ImagingCentre, "diagnostic")]
    [InlineData(FacilityType.HealthAndWellnessCentre, "phc")]
    [InlineData(FacilityType.BloodBank, "other")]
    public void GivenAnHfrType_ThenItsCodeIsOneTheDefinitionsAccept(FacilityType type, string code)
    {
        Assert.Equal(code, FacilityTypedFacts.Code(type));
        Assert.True(AnalyticsDefinitions.Default.Measure("linkings")!.Dimension(AnalyticsDefinitions.FacilityType)!.Accepts(code));
    }

    private static AnalyticsFact Fact(string id, string? facility) =>
        new(id, "linkings", new DateOnly(2026, 12, 4), new Dictionary<string, string?> { ["initiator"] = "patient" }, FacilityId: facility);

    private sealed class Registry : IFacilityRegistry
    {
        public int Reads { get; private set; }

        public Task<Facility?> FindAsync(FacilityId id, CancellationToken ct)
        {
            Reads++;
            return Task.FromResult(id.Value != Lab ? null : new Facility
            {
                Id = id, Name = "Lab", Type = FacilityType.DiagnosticLab, Ownership = FacilityOwnership.Private, SystemsOfMedicine = [],
                Address = new FacilityAddress("1 Main Road", null, "District", "28", "Andhra Pradesh", "500001"),
                Location = new GeoPoint(17.385, 78.4867), Contact = new FacilityContact(null, null, null),
                Verified = true, RegisteredBy = "admin", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
            });
        }

        public Task<Facility> EnsureVerifiedHipAsync(FacilityId id, CancellationToken ct) => throw new NotSupportedException();
    }
}
