using Ndhm.Consent;
using Ndhm.DataTransfer;
using Ndhm.Infrastructure.Phr;

namespace Ndhm.UnitTests.Phr;

/// <summary>The platform as the patient's own HIU: a decrypted record handed over lands in the patient's timeline, once.</summary>
public sealed class PhrDecryptedRecordSinkTests
{
    private static DecryptedHealthRecord Received(string address = "asha@sbx") =>
        new("txn-9", "artefact-9", address, "IN2810000002", "OP-9", "Prescription", PhrRig.Bundle(), new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GivenADecryptedRecordOfThePatientsOwnPull_WhenHandedOverTwice_ThenOneRecordInTheirTimeline_AuditedOnce()
    {
        var rig = new PhrRig();
        var sink = new PhrDecryptedRecordSink(rig.Service, new Addresses());

        await sink.AcceptAsync(Received(), default);
        await sink.AcceptAsync(Received(), default);

        var stored = Assert.Single(rig.Store.Records.Values);
        Assert.Equal((PhrRig.Patient, "OP-9", "artefact-9", "IN2810000002"),
            (stored.Record.PatientNumber, stored.Record.CareContextReference, stored.Record.ConsentArtefactId, stored.Record.HipId));
        Assert.Single(rig.Audit.Events, e => e.Chain == "patient:" + PhrRig.Patient && e.ConsentId == "artefact-9");
    }

    [Fact]
    public async Task GivenAnAddressNoAccountHolds_WhenHandedOver_ThenRefused_AndNothingStored()
    {
        var rig = new PhrRig();
        var sink = new PhrDecryptedRecordSink(rig.Service, new Addresses());

        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.AcceptAsync(Received("nobody@sbx"), default));

        Assert.Empty(rig.Store.Records);
    }

    private sealed class Addresses : IConsentPatients
    {
        public Task<string?> FindNumberAsync(string abhaAddress, CancellationToken ct) =>
            Task.FromResult(abhaAddress == "asha@sbx" ? PhrRig.Patient : null);
    }
}
