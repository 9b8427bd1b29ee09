using Ndhm.Pharmacy;
using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Prescriptions;
using Ndhm.UnitTests.HealthId;
using Xunit;

namespace Ndhm.UnitTests.Pharmacy;

public sealed class PatientPharmacyListingTests
{
    private const string Patient = "91123456789012";
    private const string Other = "91999988887777";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private sealed class Index(IReadOnlyList<Prescription> prescriptions, IReadOnlyList<PrescriptionShare> shares) : IPatientPharmacyIndex
    {
        public Task<IReadOnlyList<Prescription>> PrescriptionsAsync(string patientNumber, int take, CancellationToken ct) => Task.FromResult(prescriptions);

        public Task<IReadOnlyList<PrescriptionShare>> SharesAsync(string patientNumber, int take, CancellationToken ct) => Task.FromResult(shares);
    }

    private static Prescription Rx(string id, string patient, int daysAgo) =>
        new(id, "c-" + id, "71-1111-2222-3333", "Meera Iyer", patient, "IN2810000001", "J02", "Sore throat", Now.AddDays(-daysAgo), Now.AddDays(30 - daysAgo),
            [], null, "{}");

    private static PrescriptionShare Share(string id, string patient, int daysAgo) =>
        new(id, "rx-" + id, patient, null, Now.AddDays(-daysAgo), [new ShareTarget("IN2810000009", "Care Pharmacy", "sample-pharmacy", null)], null);

    [Fact]
    public async Task GivenTheIndexReturnsAnotherPatientsPrescription_WhenThePatientLists_ThenOnlyTheirOwnAreReturnedNewestFirst_AndTheListingIsAudited()
    {
        var audit = new RecordingAuditTrail();
        var listing = new PatientPharmacyListing(new Index([Rx("old", Patient, 9), Rx("theirs", Other, 0), Rx("new", Patient, 1)], []),
            new PharmacyAudit(audit, new NoCurrentActor()));

        var mine = await listing.PrescriptionsAsync(Patient, CancellationToken.None);

        Assert.Equal(["new", "old"], mine.Select(p => p.Id));
        var recorded = Assert.Single(audit.Events);
        Assert.Equal(("prescription.list", "listed 2"), (recorded.Action, recorded.Outcome));
    }

    [Fact]
    public async Task GivenTheIndexReturnsAnotherPatientsShare_WhenThePatientListsShares_ThenOnlyTheirOwnAreReturnedNewestFirst()
    {
        var audit = new RecordingAuditTrail();
        var listing = new PatientPharmacyListing(new Index([], [Share("a", Patient, 5), Share("b", Other, 0), Share("c", Patient, 2)]),
            new PharmacyAudit(audit, new NoCurrentActor()));

        var mine = await listing.SharesAsync(Patient, CancellationToken.None);

        Assert.Equal(["c", "a"], mine.Select(s => s.Id));
        Assert.Equal("prescription-share.list", Assert.Single(audit.Events).Action);
    }
}
