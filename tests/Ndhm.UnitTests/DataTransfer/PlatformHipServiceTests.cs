using System.Collections.Concurrent;
using System.Text;
using Ndhm.Consent;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.PlatformHip;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>
/// The platform as the HIP of the care contexts it links itself (teleconsultation notes, e-prescriptions): the
/// transaction is served without a partner, exactly the consented records are pushed, outcomes are recorded as a HIP's
/// notify would, and a repeated turn pushes nothing twice. No I/O: in-memory ports over the consent rig.
/// </summary>
public sealed class PlatformHipServiceTests : IDisposable
{
    private static readonly DateTimeOffset InRange = new(2024, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly DataTransferRig rig = new();
    private readonly FakeRecords records = new();
    private readonly FakePusher pusher = new();
    private readonly FakeNotice notice = new();
    private readonly PlatformHipService service;

    public PlatformHipServiceTests() => service = new PlatformHipService(rig.Service, records, pusher, notice);

    public void Dispose() => rig.Dispose();

    private async Task<HiTransaction> RequestedAsync()
    {
        var artefact = await rig.GrantedArtefactAsync();
        return await rig.RequestAsync(rig.Request(artefact.Id));
    }

    private static HiNotification Report(string transactionId, params (string Reference, string Status)[] statuses) =>
        new(null, transactionId, null, new HiNotifier("HIP", ConsentRig.Hip), new HiStatusNotification("TRANSFERRED", ConsentRig.Hip,
            statuses.Select(s => new HiCareContextStatus(s.Reference, s.Status, null)).ToList()));

    [Fact]
    public async Task GivenEveryCareContextHeldByThePlatform_AndNoPartnerForTheFacility_WhenRequestedAndStarted_ThenNoHipRequestIsSent_AndThePlatformServesIt()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.UnionWith(["visit-1", "visit-2"]);

        var transaction = await RequestedAsync();
        var plan = await rig.Service.StartAsync(transaction.Id, CancellationToken.None);

        var hip = Assert.Single(transaction.Hips);
        Assert.Equal((PlatformHipPartner.Id, false), (hip.PartnerId, hip.PartnerAsked));
        Assert.All(transaction.CareContexts, c => Assert.True(c.PlatformHeld));
        Assert.DoesNotContain(rig.Messenger.Sent, m => m.Kind == "hip/request");
        Assert.Equal([ConsentRig.Hip], plan.PlatformServedHipIds!);
    }

    [Fact]
    public async Task GivenNoPartnerAndACareContextThePlatformDoesNotHold_WhenRequested_ThenHipNotServed()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.Add("visit-1");
        var artefact = await rig.GrantedArtefactAsync();

        var error = await Assert.ThrowsAsync<Ndhm.Core.Errors.DomainException>(() => rig.RequestAsync(rig.Request(artefact.Id)));

        Assert.Equal("HIP_NOT_SERVED", error.Code);
    }

    [Fact]
    public async Task GivenRecordsInAndOutOfTheConsent_WhenServed_ThenOnlyTheConsentedCareContextsHiTypesAndDatesArePushed_EachReadAudited_AndOutcomesRecorded()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.UnionWith(["visit-1", "visit-2"]);
        records.Add("visit-1", "OPConsultation", InRange);                     // consented: sent
        records.Add("visit-1", "DiagnosticReport", InRange);                   // hiType not in the artefact
        records.Add("visit-2", "Prescription", new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)); // before the requested range
        records.Add("visit-3", "OPConsultation", InRange);                     // care context not in the consent
        var transaction = await RequestedAsync();

        var served = await service.ServeAsync(transaction.Id, CancellationToken.None);

        var push = Assert.Single(pusher.Pushes);
        var entry = Assert.Single(push.Entries);
        Assert.Equal(("visit-1", "OPConsultation", records.Bundle("visit-1", "OPConsultation")), (entry.CareContextReference, entry.HiType, entry.Json));
        Assert.Equal([records.Id("visit-1", "OPConsultation")], records.Reads.Select(r => r.RecordId));
        Assert.All(records.Reads, r => Assert.Equal((transaction.Id, transaction.ConsentArtefactId), (r.Reader.TransactionId, r.Reader.ConsentArtefactId)));
        Assert.Equal([ConsentRig.Hip], served.DoneHipIds);
        var stored = await rig.Service.FindAsync(transaction.Id, CancellationToken.None);
        Assert.Equal(CareContextStatus.Delivered, stored.CareContexts.Single(c => c.CareContextReference == "visit-1").Status);
        var missing = stored.CareContexts.Single(c => c.CareContextReference == "visit-2");
        Assert.Equal(CareContextStatus.Errored, missing.Status);
        Assert.StartsWith(PlatformHipService.NoRecord, missing.Description);
        Assert.True(stored.Hips.Single().Acknowledged);
        Assert.Contains(rig.Audit.Events, e => e.Action == "hi.transfer.platform-hip" && e.Actor.Subject == DataTransferService.PlatformHipActor);
        Assert.Equal("PARTIAL", await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAServedTransaction_WhenServedAgain_ThenNothingIsReadOrPushedTwice()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.UnionWith(["visit-1", "visit-2"]);
        records.Add("visit-1", "OPConsultation", InRange);
        records.Add("visit-2", "Prescription", InRange);
        var transaction = await RequestedAsync();
        await service.ServeAsync(transaction.Id, CancellationToken.None);

        var again = await service.ServeAsync(transaction.Id, CancellationToken.None);

        Assert.Single(pusher.Pushes);
        Assert.Equal(2, records.Reads.Count);
        Assert.Equal([ConsentRig.Hip], again.DoneHipIds);
        Assert.Equal("TRANSFERRED", await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAPushInterruptedBeforeItsOutcomeWasStored_WhenTheTurnIsRetried_ThenTheSamePagesArePushedInTheSameOrder()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.UnionWith(["visit-1", "visit-2"]);
        records.Add("visit-2", "Prescription", InRange);
        records.Add("visit-1", "OPConsultation", InRange);
        var transaction = await RequestedAsync();
        pusher.FailAfterPush = true;
        await Assert.ThrowsAsync<IOException>(() => service.ServeAsync(transaction.Id, CancellationToken.None));
        pusher.FailAfterPush = false;

        await service.ServeAsync(transaction.Id, CancellationToken.None);

        Assert.Equal(2, pusher.Pushes.Count);
        Assert.Equal(pusher.Pushes[0].Entries.Select(e => (e.CareContextReference, e.Json)), pusher.Pushes[1].Entries.Select(e => (e.CareContextReference, e.Json)));
        Assert.Equal(["visit-1", "visit-2"], pusher.Pushes[1].Entries.Select(e => e.CareContextReference));
    }

    [Fact]
    public async Task GivenTheHiuNotYetToldTheTransactionId_WhenServed_ThenNothingIsReadOrPushed_AndTheTurnWaits()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.UnionWith(["visit-1", "visit-2"]);
        records.Add("visit-1", "OPConsultation", InRange);
        var transaction = await RequestedAsync();
        notice.Knows = false;

        var served = await service.ServeAsync(transaction.Id, CancellationToken.None);

        Assert.True(served.WaitingForHiu);
        Assert.Empty(records.Reads);
        Assert.Empty(pusher.Pushes);
        Assert.All((await rig.Service.FindAsync(transaction.Id, CancellationToken.None)).CareContexts, c => Assert.Equal(CareContextStatus.Pending, c.Status));
    }

    [Fact]
    public async Task GivenAPageTheHiuRefused_WhenServed_ThenItsCareContextIsErroredWithTheReason()
    {
        rig.HipHasPartner = false;
        rig.PlatformHeld.UnionWith(["visit-1", "visit-2"]);
        records.Add("visit-1", "OPConsultation", InRange);
        records.Add("visit-2", "Prescription", InRange);
        pusher.Refuse.Add("visit-2");
        var transaction = await RequestedAsync();

        await service.ServeAsync(transaction.Id, CancellationToken.None);

        var refused = (await rig.Service.FindAsync(transaction.Id, CancellationToken.None)).CareContexts.Single(c => c.CareContextReference == "visit-2");
        Assert.Equal((CareContextStatus.Errored, "The HIU answered 400."), (refused.Status, refused.Description));
        Assert.Equal("PARTIAL", await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAFacilityWithPartnerAndPlatformCareContexts_WhenThePartnerReportsAll_ThenOnlyItsOwnTakeItsReport_AndThePlatformServesTheRest()
    {
        rig.PlatformHeld.Add("visit-2");
        records.Add("visit-2", "Prescription", InRange);
        var transaction = await RequestedAsync();
        await rig.Service.StartAsync(transaction.Id, CancellationToken.None);

        var afterPartner = await rig.Service.NotifyAsync(ConsentRig.HipPartner, true, Report(transaction.Id, ("visit-1", "DELIVERED"), ("visit-2", "ERRORED")),
            CancellationToken.None);
        var platformOnes = (await rig.Service.FindAsync(transaction.Id, CancellationToken.None)).CareContexts.Single(c => c.CareContextReference == "visit-2");
        var served = await service.ServeAsync(transaction.Id, CancellationToken.None);

        Assert.Single(rig.Messenger.Sent, m => m.Kind == "hip/request");
        Assert.True(Assert.Single(transaction.Hips).PartnerAsked);
        Assert.Empty(afterPartner);
        Assert.Equal(CareContextStatus.Pending, platformOnes.Status);
        Assert.Equal(["visit-2"], Assert.Single(pusher.Pushes).Entries.Select(e => e.CareContextReference));
        Assert.Equal([ConsentRig.Hip], served.DoneHipIds);
        Assert.Equal("TRANSFERRED", await rig.Service.CloseAsync(transaction.Id, null, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAFacilityWithPartnerAndPlatformCareContexts_WhenThePartnerRefuses_ThenThePlatformsCareContextsStayPendingForThePlatform()
    {
        rig.PlatformHeld.Add("visit-2");
        var transaction = await RequestedAsync();

        var done = await rig.Service.AcknowledgeAsync(ConsentRig.HipPartner, ConsentRig.Hip, transaction.Id,
            new Ndhm.Core.Abdm.AbdmError("ABDM-1000", "no such records"), CancellationToken.None);

        var contexts = (await rig.Service.FindAsync(transaction.Id, CancellationToken.None)).CareContexts;
        Assert.Empty(done);
        Assert.Equal(CareContextStatus.Errored, contexts.Single(c => c.CareContextReference == "visit-1").Status);
        Assert.Equal(CareContextStatus.Pending, contexts.Single(c => c.CareContextReference == "visit-2").Status);
    }

    private sealed class FakeRecords : IPlatformHipRecords
    {
        private readonly List<(PlatformRecordEntry Entry, string Json)> stored = [];

        public List<(string RecordId, PlatformRecordReader Reader)> Reads { get; } = [];

        public void Add(string careContext, string hiType, DateTimeOffset at) =>
            stored.Add((new PlatformRecordEntry(Id(careContext, hiType), careContext, hiType, at), Bundle(careContext, hiType)));

        public string Id(string careContext, string hiType) => $"{careContext}/{hiType}";

        public string Bundle(string careContext, string hiType) => $$"""{"resourceType":"Bundle","id":"{{careContext}}-{{hiType}}"}""";

        // As the PHR does: every record of the care context at the facility, whatever the hiTypes (the service filters again).
        public Task<IReadOnlyList<PlatformRecordEntry>> ListAsync(string patientNumber, string hipId, string careContextReference, IReadOnlyList<string> hiTypes,
            CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<PlatformRecordEntry>>(patientNumber == ConsentRig.PatientNumber && hipId == ConsentRig.Hip
                ? stored.Where(s => s.Entry.CareContextReference == careContextReference).Select(s => s.Entry).ToList()
                : []);

        public Task<byte[]?> ReadBundleAsync(string patientNumber, string recordId, PlatformRecordReader reader, CancellationToken ct)
        {
            Reads.Add((recordId, reader));
            return Task.FromResult<byte[]?>(Encoding.UTF8.GetBytes(stored.Single(s => s.Entry.RecordId == recordId).Json));
        }
    }

    private sealed class FakePusher : IPlatformHipPusher
    {
        public List<(string TransactionId, IReadOnlyList<(string CareContextReference, string HiType, string Json)> Entries)> Pushes { get; } = [];

        public HashSet<string> Refuse { get; } = [];

        public bool FailAfterPush { get; set; }

        public Task<IReadOnlyList<PlatformPushResult>> PushAsync(HiTransaction transaction, HipTransfer hip, IReadOnlyList<PlatformPushEntry> entries,
            CancellationToken ct)
        {
            // Copied: the service wipes the plaintext once the turn is over.
            Pushes.Add((transaction.Id, entries.Select(e => (e.CareContextReference, e.HiType, Encoding.UTF8.GetString(e.BundleUtf8))).ToList()));
            if (FailAfterPush) throw new IOException("the host died after the push");
            return Task.FromResult<IReadOnlyList<PlatformPushResult>>(entries
                .Select(e => Refuse.Contains(e.CareContextReference)
                    ? new PlatformPushResult(e.CareContextReference, false, "The HIU answered 400.")
                    : new PlatformPushResult(e.CareContextReference, true, null)).ToList());
        }
    }

    private sealed class FakeNotice : IHiuTransactionNotice
    {
        public bool Knows { get; set; } = true;

        public Task<bool> HiuKnowsAsync(HiTransaction transaction, CancellationToken ct) => Task.FromResult(Knows);
    }
}
