using Ndhm.Core.Errors;
using Ndhm.Phr;
using Ndhm.Phr.Records;

namespace Ndhm.UnitTests.Phr;

public sealed class PhrProviderRecordTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset CareDate = new(2026, 12, 3, 9, 45, 0, TimeSpan.Zero);

    private static ProviderHealthRecord Record(string careContext = "TC-1", string hiType = "OPConsultation", string? title = null) =>
        new(PhrRig.Patient, "IN3610000001", careContext, hiType, PhrRig.Bundle("Teleconsultation (video)"), CareDate, title, "71234567890123");

    [Fact]
    public async Task GivenAProviderRecord_WhenAddedTwice_ThenItIsStoredOnceAsProvider_WithOneAuditEntryByItsAuthor()
    {
        var rig = new PhrRig();

        var first = await rig.Service.AddProviderRecordAsync(Record(), None);
        var again = await rig.Service.AddProviderRecordAsync(Record(), None);

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Record.Id, again.Record.Id);
        var stored = Assert.Single(rig.Store.Records).Value.Record;
        Assert.Equal((HealthRecordSource.Provider, "OPConsultation", "IN3610000001", "TC-1", CareDate, "Teleconsultation (video)"),
            (stored.Source, stored.HiType, stored.HipId, stored.CareContextReference, stored.RecordDate, stored.Title));
        Assert.Null(stored.DataEraseAt);
        var audit = Assert.Single(rig.Audit.Events, e => e.Action == PhrAudit.RecordStore);
        Assert.Equal("71234567890123", audit.Actor.Subject);
    }

    [Fact]
    public async Task GivenTwoCareContextsOrTypes_WhenAdded_ThenEachIsItsOwnRecord()
    {
        var rig = new PhrRig();

        var consult = await rig.Service.AddProviderRecordAsync(Record(), None);
        var prescription = await rig.Service.AddProviderRecordAsync(Record("RX-1", "Prescription", "E-prescription"), None);

        Assert.NotEqual(consult.Record.Id, prescription.Record.Id);
        Assert.Equal("E-prescription", prescription.Record.Title);
        Assert.Equal(2, rig.Store.Records.Count);
    }

    [Fact]
    public async Task GivenAProviderRecord_WhenThePatientReadsIt_ThenTheBundleComesWithIt_AndItCannotBeDeleted()
    {
        var rig = new PhrRig();
        var stored = await rig.Service.AddProviderRecordAsync(Record(), None);

        var read = await rig.Service.GetAsync(PhrRig.Patient, stored.Record.Id, None);
        var timeline = await rig.Service.ListAsync(PhrRig.Patient, new TimelineFilter(Source: HealthRecordSource.Provider), null, null, None);
        var delete = await Assert.ThrowsAsync<DomainException>(() => rig.Service.DeleteUploadAsync(PhrRig.Patient, stored.Record.Id, None));

        Assert.Equal("Teleconsultation (video)", read.Bundle!["entry"]![0]!["resource"]!["title"]!.GetValue<string>());
        Assert.Equal(stored.Record.Id, Assert.Single(timeline.Records).Id);
        Assert.Equal(PhrErrors.NotDeletable, delete.Code);
        Assert.Single(rig.Store.Records);
    }

    [Theory]
    [InlineData("NotAType", "{\"resourceType\":\"Bundle\"}")]
    [InlineData("Prescription", "{\"resourceType\":\"Patient\"}")]
    public async Task GivenAnInvalidProviderRecord_WhenAdded_ThenRefused_AndNothingIsStored(string hiType, string bundle)
    {
        var rig = new PhrRig();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            rig.Service.AddProviderRecordAsync(Record(hiType: hiType) with { BundleJson = bundle }, None));

        Assert.Equal(PhrErrors.InvalidRecord, error.Code);
        Assert.Empty(rig.Store.Records);
        Assert.Empty(rig.Audit.Events);
    }
}
