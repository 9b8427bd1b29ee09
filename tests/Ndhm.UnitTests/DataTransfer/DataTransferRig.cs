using System.Collections.Concurrent;
using Ndhm.Consent;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.DataTransfer;
using Ndhm.DataTransfer.Partners.Hip;
using Ndhm.DataTransfer.PlatformHip;
using Ndhm.Fidelius;
using Ndhm.Infrastructure.DataTransfer;
using Ndhm.UnitTests.Consent;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.DataTransfer;

/// <summary>The data-transfer service over the consent rig's in-memory consents and in-memory transfer ports.</summary>
internal sealed class DataTransferRig : IDisposable
{
    public ConsentRig Consent { get; } = new();
    public InMemoryTransferStore Store { get; } = new();
    public RecordingTransferMessenger Messenger { get; } = new();
    public RecordingTransferPatientNotifier PatientNotifier { get; } = new();
    public RecordingAuditTrail Audit { get; } = new();
    public DataTransferOptions Options { get; } = new();
    public DataTransferService Service { get; }

    /// <summary>The care contexts (of <see cref="ConsentRig.Hip"/>) the platform linked itself; none unless a test says so.</summary>
    public HashSet<string> PlatformHeld { get; } = [];

    /// <summary>Whether a HIP partner serves <see cref="ConsentRig.Hip"/>.</summary>
    public bool HipHasPartner { get; set; } = true;

    public DataTransferRig()
    {
        Service = new DataTransferService(Store, Consent.Store, Messenger, PatientNotifier, new Partners(this), new Held(PlatformHeld), Audit, new NoCurrentActor(), Options,
            Consent.Time);
    }

    /// <summary>A request granted by the patient: its artefact (one HIP, care contexts visit-1 and visit-2).</summary>
    public async Task<SignedArtefact> GrantedArtefactAsync()
    {
        var record = await Consent.CreateAsync();
        var granted = await Consent.Manager.GrantAsync(Consent.Patient, record.Id, null, CancellationToken.None);
        return granted.Artefacts.Single();
    }

    public HiRequestInput Request(string artefactId, DateTimeOffset? from = null, DateTimeOffset? to = null, AbdmKeyMaterial? key = null,
        string url = "https://hiu.example.in/v0.5/health-information/transfer") =>
        new(new HiConsentRef(artefactId), new HiDateRange(from ?? new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), to ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            url, key ?? FideliusKeyMaterial.Generate(Consent.Time).ToAbdm());

    public Task<HiTransaction> RequestAsync(HiRequestInput input, string? requestId = null, string partner = ConsentRig.HiuPartner) =>
        Service.RequestAsync(partner, requestId ?? Guid.NewGuid().ToString(), input, CancellationToken.None);

    /// <summary>A transaction requested under a newly granted artefact with the HIU's keys, and the hip/request its HIP receives (push token signed).</summary>
    public async Task<(HiTransaction Transaction, HipTransferRequest Request)> HipRequestAsync(FideliusKeyMaterial hiuKeys)
    {
        var artefact = await GrantedArtefactAsync();
        var transaction = await RequestAsync(Request(artefact.Id, key: hiuKeys.ToAbdm()));
        var token = await new PushTokenSigner(Consent.Signing, Options).SignAsync(transaction, transaction.Hips[0], CancellationToken.None);
        return (transaction, new HipTransferRequest(transaction.Id, artefact.Id, transaction.DateRange, "https://hiu.example.in/v0.5/health-information/transfer",
            hiuKeys.ToAbdm(), token));
    }

    public void Dispose() => Consent.Dispose();

    private sealed class Partners(DataTransferRig rig) : ITransferPartners
    {
        public Task<bool> ServesAsync(string partnerId, string hipId, CancellationToken ct) =>
            Task.FromResult(rig.HipHasPartner && partnerId == ConsentRig.HipPartner && hipId == ConsentRig.Hip);

        public Task<string?> PartnerForHipAsync(string hipId, CancellationToken ct) =>
            Task.FromResult<string?>(rig.HipHasPartner && hipId == ConsentRig.Hip ? ConsentRig.HipPartner : null);
    }

    private sealed class Held(HashSet<string> held) : IPlatformHeldCareContexts
    {
        public Task<IReadOnlySet<string>> HeldAsync(string patientNumber, string hipId, IReadOnlyCollection<string> references, CancellationToken ct) =>
            Task.FromResult<IReadOnlySet<string>>(patientNumber == ConsentRig.PatientNumber && hipId == ConsentRig.Hip
                ? references.Where(held.Contains).ToHashSet()
                : new HashSet<string>());
    }
}

internal sealed class InMemoryTransferStore : ITransferStore
{
    private readonly ConcurrentDictionary<string, Versioned<HiTransaction>> transactions = new();
    private readonly ConcurrentDictionary<string, Versioned<ArtefactUsage>> usage = new();

    public int Replaces { get; private set; }

    public Task<bool> TryCreateAsync(HiTransaction transaction, CancellationToken ct) =>
        Task.FromResult(transactions.TryAdd(transaction.Id, new Versioned<HiTransaction>(transaction, Guid.NewGuid().ToString())));

    public Task<Versioned<HiTransaction>?> FindAsync(string transactionId, CancellationToken ct) =>
        Task.FromResult(transactions.TryGetValue(transactionId, out var found) ? found : null);

    public Task<string> ReplaceAsync(HiTransaction transaction, string ifMatch, CancellationToken ct)
    {
        lock (transactions)
        {
            if (!transactions.TryGetValue(transaction.Id, out var current) || current.ETag != ifMatch)
                throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "changed");
            var etag = Guid.NewGuid().ToString();
            transactions[transaction.Id] = new Versioned<HiTransaction>(transaction, etag);
            Replaces++;
            return Task.FromResult(etag);
        }
    }

    public Task<Versioned<ArtefactUsage>?> FindUsageAsync(string artefactId, CancellationToken ct) =>
        Task.FromResult(usage.TryGetValue(artefactId, out var found) ? found : null);

    public Task<bool> TrySaveUsageAsync(ArtefactUsage value, string? ifMatch, CancellationToken ct)
    {
        lock (usage)
        {
            var exists = usage.TryGetValue(value.ConsentArtefactId, out var current);
            if ((ifMatch is null && exists) || (ifMatch is not null && (!exists || current!.ETag != ifMatch))) return Task.FromResult(false);
            usage[value.ConsentArtefactId] = new Versioned<ArtefactUsage>(value, Guid.NewGuid().ToString());
            return Task.FromResult(true);
        }
    }
}

internal sealed class RecordingTransferPatientNotifier : ITransferPatientNotifier
{
    public ConcurrentQueue<(string PatientNumber, TransferClosedNotice Notice)> Told { get; } = new();

    /// <summary>Failures still to throw before telling succeeds (a notification channel that is down).</summary>
    public int FailuresLeft { get; set; }

    public Task TellClosedAsync(string patientNumber, TransferClosedNotice notice, CancellationToken ct)
    {
        if (FailuresLeft > 0)
        {
            FailuresLeft--;
            throw new HttpRequestException("notification channel down");
        }

        Told.Enqueue((patientNumber, notice));
        return Task.CompletedTask;
    }
}

internal sealed class RecordingTransferMessenger : ITransferMessenger
{
    public ConcurrentQueue<(string Kind, string TransactionId, string HipId, string RequestId, HiTransaction Snapshot)> Sent { get; } = new();

    public Task SendHipRequestAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct)
    {
        Sent.Enqueue(("hip/request", transaction.Id, hip.HipId, requestId, transaction));
        return Task.CompletedTask;
    }

    public Task TellHiuAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct)
    {
        Sent.Enqueue(("hiu/notify", transaction.Id, hip.HipId, requestId, transaction));
        return Task.CompletedTask;
    }
}
