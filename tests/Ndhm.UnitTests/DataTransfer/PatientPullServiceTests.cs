using System.Collections.Concurrent;
using Ndhm.Consent;
using Ndhm.Core.Errors;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.PatientPulls;
using Ndhm.Fidelius;
using Ndhm.UnitTests.Consent;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>The platform as the patient's own HIU: the patient's ask makes a PATRQT consent and a transfer with fresh keys, kept until it closes.</summary>
public sealed class PatientPullServiceTests : IDisposable
{
    private const string PushUrl = "https://ndhm.example.in/api/v1/phr/data-push";
    private readonly DataTransferRig rig = new();
    private readonly Keys keys = new();
    private readonly Patients patients = new();
    private readonly Sms sms = new();
    private readonly PatientPullService service;

    public PatientPullServiceTests() =>
        service = new PatientPullService(rig.Consent.Manager, rig.Service, patients, new Links(rig.Consent.Linked), keys,
            new PatientPullOptions { DataPushUrl = PushUrl }, rig.Consent.Time);

    [Fact]
    public async Task GivenLinkedCareContextsAtAHip_WhenThePatientAsks_ThenAGrantedSelfConsent_AndATransferAsThePlatformHiuWithKeptKeys()
    {
        var pull = await service.AskAsync(rig.Consent.Patient, "ask-1", new PatientPullInput(ConsentRig.Hip, null, null, null), default);

        var consent = rig.Consent.Store.Get(pull.ConsentRequestId);
        Assert.Equal((ConsentStatus.Granted, ConsentCodes.PatientRequested, PlatformHiu.PartnerId, PlatformHiu.FacilityId, ConsentRig.PatientAddress),
            (consent.Status, consent.Detail.Purpose.Code, consent.HiuPartnerId, consent.Detail.Hiu.Id, consent.Detail.Patient.Id));
        Assert.All(consent.Events, e => Assert.Equal((ConsentRig.PatientNumber, "patient"), (e.Actor.Subject, e.Actor.Kind)));
        Assert.Contains(rig.Consent.Audit.Events, e => e.Action == "consent.request.create" && e.Actor.Subject == ConsentRig.PatientNumber);
        var transaction = (await rig.Store.FindAsync(pull.TransactionId, default))!.Value;
        Assert.Equal((PlatformHiu.PartnerId, PushUrl, TransferStatus.Requested, 2, pull.ConsentArtefactId),
            (transaction.HiuPartnerId, transaction.DataPushUrl, transaction.Status, transaction.CareContexts.Count, transaction.ConsentArtefactId));
        var kept = keys.Kept[pull.TransactionId];
        Assert.Equal(ConsentRig.PatientNumber, kept.Patient);
        using var offered = System.Text.Json.JsonDocument.Parse(transaction.KeyMaterialJson);
        Assert.Equal(kept.Material.PublicKey.ToX509Base64(), offered.RootElement.GetProperty("dhPublicKey").GetProperty("keyValue").GetString());
    }

    [Fact]
    public async Task GivenTwoAsks_WhenMade_ThenEachHasItsOwnKeyMaterial()
    {
        var first = await service.AskAsync(rig.Consent.Patient, "ask-1", new PatientPullInput(ConsentRig.Hip, null, null, null), default);
        var second = await service.AskAsync(rig.Consent.Patient, "ask-2", new PatientPullInput(ConsentRig.Hip, null, null, null), default);

        Assert.NotEqual(first.TransactionId, second.TransactionId);
        Assert.NotEqual(keys.Kept[first.TransactionId].Material.PublicKey.ToBase64(), keys.Kept[second.TransactionId].Material.PublicKey.ToBase64());
    }

    [Fact]
    public async Task GivenNothingLinkedAtTheHip_WhenThePatientAsks_ThenConflict_AndNoConsentNorTransfer()
    {
        var e = await Assert.ThrowsAsync<DomainException>(() =>
            service.AskAsync(rig.Consent.Patient, "ask-1", new PatientPullInput("IN2810000077", null, null, null), default));

        Assert.Equal((ErrorKind.Conflict, PatientPullService.NothingLinked), (e.Kind, e.Code));
        Assert.Empty(await rig.Consent.Store.ListForPatientAsync(ConsentRig.PatientNumber, null, false, 10, default));
        Assert.Empty(keys.Kept);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(ConsentRig.Hip, "Radiology")]
    public async Task GivenABadAsk_WhenMade_ThenInvalidPull(string? hip, string? hiType)
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => service.AskAsync(rig.Consent.Patient, "ask-1",
            new PatientPullInput(hip, null, null, hiType is null ? null : [hiType]), default));

        Assert.Equal((ErrorKind.Validation, PatientPullService.InvalidPull), (e.Kind, e.Code));
        Assert.Empty(keys.Kept);
    }

    [Fact]
    public async Task GivenAPullsTransactionClosed_WhenClosedIsHandled_ThenTheKeyIsGone_AndThePatientIsToldTheOutcome()
    {
        var pull = await service.AskAsync(rig.Consent.Patient, "ask-1", new PatientPullInput(ConsentRig.Hip, null, null, null), default);
        var transaction = (await rig.Store.FindAsync(pull.TransactionId, default))!.Value;
        var closed = transaction.WithHipReport(ConsentRig.Hip, new Dictionary<string, (bool, string?)> { ["visit-1"] = (true, null), ["visit-2"] = (false, "gone") },
            rig.Consent.Time.GetUtcNow()).Close(rig.Consent.Time.GetUtcNow(), null);

        await PatientPullService.ClosedAsync(closed, keys, patients, sms, default);

        Assert.Empty(keys.Kept);
        var told = Assert.Single(sms.Told);
        Assert.Equal((pull.TransactionId, ConsentRig.Hip, "PARTIAL", 1, 2), (told.TransactionId, told.HipId, told.Status, told.Delivered, told.CareContexts));
    }

    public void Dispose() => rig.Dispose();

    private sealed class Keys : IPullKeyVault
    {
        public ConcurrentDictionary<string, (string Patient, FideliusKeyMaterial Material)> Kept { get; } = new();

        public Task<FideliusKeyMaterial> KeepAsync(string transactionId, string abhaNumber, FideliusKeyMaterial material, CancellationToken ct) =>
            Task.FromResult(Kept.GetOrAdd(transactionId, (abhaNumber, material)).Material);

        public Task<FideliusKeyMaterial?> FindAsync(string transactionId, string abhaNumber, CancellationToken ct) =>
            Task.FromResult(Kept.TryGetValue(transactionId, out var k) && k.Patient == abhaNumber ? k.Material : null);

        public Task DeleteAsync(string transactionId, CancellationToken ct)
        {
            Kept.TryRemove(transactionId, out _);
            return Task.CompletedTask;
        }
    }

    private sealed class Patients : IPullPatients
    {
        public Task<PullPatient?> FindAsync(string abhaNumber, CancellationToken ct) =>
            Task.FromResult(abhaNumber == ConsentRig.PatientNumber ? new PullPatient(abhaNumber, ConsentRig.PatientAddress, "9876543210") : null);
    }

    private sealed class Links(ConsentRig.LinkedContexts linked) : IPullLinkedCareContexts
    {
        public Task<IReadOnlyList<CareContextRef>> ListAsync(string abhaNumber, string hipId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<CareContextRef>>(linked.Links.Where(l => l.Patient == abhaNumber && l.Hip == hipId).Select(l => l.Context).ToList());
    }

    private sealed class Sms : IPullOutcomeNotifier
    {
        public ConcurrentQueue<PullOutcome> Told { get; } = new();

        public Task TellAsync(PullPatient patient, PullOutcome outcome, CancellationToken ct)
        {
            Told.Enqueue(outcome);
            return Task.CompletedTask;
        }
    }
}

/// <summary>What the platform HIU's push endpoint knows of a transaction: only its own, and only while the key is kept.</summary>
public sealed class PlatformHiuTransferContextsTests : IDisposable
{
    private readonly DataTransferRig rig = new();

    [Fact]
    public async Task GivenAnotherHiusTransaction_WhenLookedUp_ThenUnknown()
    {
        var artefact = await rig.GrantedArtefactAsync();
        var transaction = await rig.RequestAsync(rig.Request(artefact.Id));
        var keys = new KeptKeys();
        await keys.KeepAsync(transaction.Id, ConsentRig.PatientNumber, FideliusKeyMaterial.Generate(rig.Consent.Time), default);

        Assert.Null(await new Ndhm.Infrastructure.Phr.PlatformHiuTransferContexts(rig.Store, keys).FindAsync(transaction.Id, default));
    }

    [Fact]
    public async Task GivenThePlatformsPull_WhenLookedUpWithAndWithoutItsKey_ThenItsContextThenUnknown()
    {
        var keys = new KeptKeys();
        var service = new PatientPullService(rig.Consent.Manager, rig.Service, new OnePatient(), new LinkedAtHip(rig.Consent.Linked), keys,
            new PatientPullOptions(), rig.Consent.Time);
        var pull = await service.AskAsync(rig.Consent.Patient, "ask-1", new PatientPullInput(ConsentRig.Hip, null, null, null), default);
        var contexts = new Ndhm.Infrastructure.Phr.PlatformHiuTransferContexts(rig.Store, keys);

        var found = await contexts.FindAsync(pull.TransactionId, default);
        await keys.DeleteAsync(pull.TransactionId, default);

        Assert.NotNull(found);
        Assert.Equal((pull.ConsentArtefactId, ConsentRig.PatientAddress, ConsentRig.Hip), (found.ConsentArtefactId, found.PatientId, Assert.Single(found.HipIds)));
        Assert.Null(await contexts.FindAsync(pull.TransactionId, default));
    }

    public void Dispose() => rig.Dispose();

    private sealed class KeptKeys : IPullKeyVault
    {
        private readonly ConcurrentDictionary<string, FideliusKeyMaterial> kept = new();

        public Task<FideliusKeyMaterial> KeepAsync(string transactionId, string abhaNumber, FideliusKeyMaterial material, CancellationToken ct) =>
            Task.FromResult(kept.GetOrAdd(transactionId, material));

        public Task<FideliusKeyMaterial?> FindAsync(string transactionId, string abhaNumber, CancellationToken ct) =>
            Task.FromResult(kept.TryGetValue(transactionId, out var k) ? k : null);

        public Task DeleteAsync(string transactionId, CancellationToken ct)
        {
            kept.TryRemove(transactionId, out _);
            return Task.CompletedTask;
        }
    }

    private sealed class OnePatient : IPullPatients
    {
        public Task<PullPatient?> FindAsync(string abhaNumber, CancellationToken ct) =>
            Task.FromResult<PullPatient?>(new PullPatient(abhaNumber, ConsentRig.PatientAddress, null));
    }

    private sealed class LinkedAtHip(ConsentRig.LinkedContexts linked) : IPullLinkedCareContexts
    {
        public Task<IReadOnlyList<CareContextRef>> ListAsync(string abhaNumber, string hipId, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<CareContextRef>>(linked.Links.Where(l => l.Patient == abhaNumber && l.Hip == hipId).Select(l => l.Context).ToList());
    }
}
