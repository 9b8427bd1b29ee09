using Microsoft.Extensions.Time.Testing;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Linking;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Linking;

/// <summary>The linking services over in-memory ports: a store with ETags, a recording bridge, fixed HIPs and patients.</summary>
internal sealed class LinkingRig
{
    internal sealed class RecordingDataNotices : ICareContextDataNotices
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<CareContextDataNotice> told = new();

        public IReadOnlyList<CareContextDataNotice> Told => told.ToList();

        public Task NewDataAsync(CareContextDataNotice notice, CancellationToken ct)
        {
            told.Enqueue(notice);
            return Task.CompletedTask;
        }
    }

    public const string Asha = "91123456789012";
    public const string Ravi = "91999988887777";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    public InMemoryLinkStore Store { get; } = new();
    public RecordingBridge Bridge { get; } = new();
    public RecordingAuditTrail Audit { get; } = new();
    public FakeLinkOtp Otp { get; } = new();
    public RecordingNotifier Notifier { get; } = new();
    public RecordingDataNotices DataNotices { get; } = new();
    public LinkingOptions Options { get; set; } = new();
    public FixedAuthGrants AuthGrants { get; } = new();

    public static readonly HipEndpoint CityHospital = new("city-hospital", "city-hospital");
    public static readonly HipEndpoint Lab = new("lab-one", "lab-one");

    public PatientLinkingService Patients => new(Store, new FixedHips(), new FixedPatients(), Bridge, Otp,
        new LinkingAudit(Audit, new NoCurrentActor()), Options, Time);

    public HipInitiatedLinkingService Hips => new(Store, new FixedPatients(), Bridge, Notifier, new LinkingAudit(Audit, new NoCurrentActor()), Options, Time,
        AuthGrants, DataNotices);

    public static HipPatient Found(params string[] references) =>
        new("MRN-7", "Asha Verma", references.Select(r => new CareContext(r, "Visit " + r, ["OPConsultation"])).ToList());

    /// <summary>Discovery answered by the HIP with <paramref name="references"/>.</summary>
    public async Task<DiscoverySession> DiscoveredAsync(string abha = Asha, HipEndpoint? hip = null, params string[] references)
    {
        hip ??= CityHospital;
        var session = await Patients.StartDiscoveryAsync(abha, hip.HipId, default);
        await Patients.OnDiscoverAsync(hip.PartnerId, session.TransactionId, session.RequestId, Found(references), null, default);
        return session;
    }

    /// <summary>Link init answered by the HIP's on-init with link reference <paramref name="linkRef"/> (DIRECT).</summary>
    public async Task<LinkRequest> AwaitingOtpAsync(string linkRef, params string[] references)
    {
        var session = await DiscoveredAsync(Asha, CityHospital, references);
        var request = await Patients.InitLinkAsync(Asha, session.TransactionId, references, default);
        await Patients.OnInitAsync(CityHospital.PartnerId, request.InitRequestId, linkRef, "DIRECT", "MOBILE", "******0161", null, null, default);
        return request;
    }

    public static async Task<DomainException> Fails(Func<Task> act) => await Assert.ThrowsAsync<DomainException>(act);
}

internal sealed class FixedHips : IHipDirectory
{
    public Task<HipEndpoint?> FindAsync(string hipId, CancellationToken ct) =>
        Task.FromResult(hipId == LinkingRig.CityHospital.HipId ? LinkingRig.CityHospital : hipId == LinkingRig.Lab.HipId ? LinkingRig.Lab : null);

    public Task<bool> ServesAsync(string partnerId, string hipId, CancellationToken ct) => Task.FromResult(partnerId == hipId);

    public Task<HipEndpoint> ActingAsAsync(string partnerId, string? namedFacility, CancellationToken ct) =>
        Task.FromResult(new HipEndpoint(namedFacility ?? partnerId, partnerId));
}

internal sealed class FixedPatients : IPatientDirectory
{
    private static readonly PatientIdentity[] All =
    [
        new(LinkingRig.Asha, "asha@sbx", "9876500161", "Asha Verma", "F", 1990),
        new(LinkingRig.Ravi, "ravi@sbx", null, "Ravi Kumar", "M", 1985),
    ];

    public Task<PatientIdentity?> FindAsync(string abhaNumberOrAddress, CancellationToken ct) =>
        Task.FromResult(All.FirstOrDefault(p => p.AbhaNumber == abhaNumberOrAddress || p.AbhaAddress == abhaNumberOrAddress));
}

internal sealed class RecordingBridge : IHipBridge
{
    public List<(HipEndpoint Hip, string Path, object Body, string? Answers)> Sent { get; } = [];

    public Task SendAsync(HipEndpoint hip, string path, object body, string? answersRequestId, CancellationToken ct)
    {
        Sent.Add((hip, path, body, answersRequestId));
        return Task.CompletedTask;
    }

    public T Last<T>(string path) => (T)Sent.Last(s => s.Path == path).Body;
}

internal sealed class FakeLinkOtp : ILinkOtp
{
    public const string Code = "123456";
    public List<string> Sent { get; } = [];

    public Task<(string TxnId, DateTimeOffset ExpiresAt, string Hint)> SendAsync(PatientIdentity patient, CancellationToken ct)
    {
        var txn = "txn-" + Sent.Count;
        Sent.Add(txn);
        return Task.FromResult((txn, DateTimeOffset.MaxValue, "******0161"));
    }

    public Task VerifyAsync(string txnId, string otp, string abhaNumber, CancellationToken ct) =>
        otp == Code && Sent.Contains(txnId)
            ? Task.CompletedTask
            : throw new DomainException(ErrorKind.Validation, "OTP_INVALID", "Wrong OTP");
}

internal sealed class RecordingNotifier : IPatientNotifier
{
    public List<(string AbhaNumber, string HipId, string Link)> Sent { get; } = [];

    public Task NotifyLinkedAsync(PatientIdentity patient, string hipId, int careContexts, string deepLink, CancellationToken ct)
    {
        Sent.Add((patient.AbhaNumber, hipId, deepLink));
        return Task.CompletedTask;
    }

    public List<(string Mobile, string Text)> Sms { get; } = [];

    public Task SendSmsAsync(string mobile, string text, string deepLink, CancellationToken ct)
    {
        Sms.Add((mobile, text));
        return Task.CompletedTask;
    }
}

/// <summary>The store's contract in memory: ETags change on every write; If-Match and create-only are enforced.</summary>
internal sealed class InMemoryLinkStore : ICareContextLinkStore
{
    private readonly Dictionary<string, (object Value, string ETag)> documents = new(StringComparer.Ordinal);
    private int version;

    private string Put(string key, object value, string? ifMatch, bool createOnly = false)
    {
        lock (documents)
        {
            var exists = documents.TryGetValue(key, out var current);
            if ((createOnly && exists) || (ifMatch is not null && (!exists || current.ETag != ifMatch)))
                throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "changed");
            var etag = "e" + ++version;
            documents[key] = (value, etag);
            return etag;
        }
    }

    private Versioned<T>? Get<T>(string key) =>
        documents.TryGetValue(key, out var d) ? new Versioned<T>((T)d.Value, d.ETag) : null;

    public Task<bool> TryOpenDiscoveryAsync(DiscoverySession session, DateTimeOffset now, CancellationToken ct)
    {
        lock (documents)
        {
            var guard = Get<DiscoverySession>($"guard:{session.AbhaNumber}:{session.HipId}");
            if (guard is not null && guard.Value.IsOpenAt(now)) return Task.FromResult(false);
            documents[$"guard:{session.AbhaNumber}:{session.HipId}"] = (session, "g");
            Put("discovery:" + session.TransactionId, session, null, createOnly: true);
            return Task.FromResult(true);
        }
    }

    public Task<Versioned<DiscoverySession>?> FindDiscoveryAsync(string transactionId, CancellationToken ct) =>
        Task.FromResult(Get<DiscoverySession>("discovery:" + transactionId));

    public Task<string> ReplaceDiscoveryAsync(DiscoverySession session, string ifMatch, CancellationToken ct) =>
        Task.FromResult(Put("discovery:" + session.TransactionId, session, ifMatch));

    public Task CloseDiscoveryAsync(DiscoverySession session, CancellationToken ct)
    {
        lock (documents)
        {
            if (Get<DiscoverySession>($"guard:{session.AbhaNumber}:{session.HipId}") is { Value.TransactionId: var t } && t == session.TransactionId)
                documents.Remove($"guard:{session.AbhaNumber}:{session.HipId}");
        }

        return Task.CompletedTask;
    }

    public Task CreateLinkRequestAsync(LinkRequest request, CancellationToken ct)
    {
        Put($"link:{request.AbhaNumber}:{request.Id}", request, null, createOnly: true);
        return Task.CompletedTask;
    }

    public Task<Versioned<LinkRequest>?> FindLinkRequestAsync(string abhaNumber, string linkRequestId, CancellationToken ct) =>
        Task.FromResult(Get<LinkRequest>($"link:{abhaNumber}:{linkRequestId}"));

    private IEnumerable<Versioned<LinkRequest>> LinkRequests() =>
        documents.Where(d => d.Value.Value is LinkRequest).Select(d => new Versioned<LinkRequest>((LinkRequest)d.Value.Value, d.Value.ETag)).ToList();

    public Task<Versioned<LinkRequest>?> FindLinkRequestByOutboundRequestAsync(string requestId, CancellationToken ct) =>
        Task.FromResult(LinkRequests().FirstOrDefault(r => r.Value.OutboundRequestIds.Contains(requestId)));

    public Task<IReadOnlyList<Versioned<LinkRequest>>> FindLinkRequestsByReferenceAsync(string abhaNumber, string linkRefNumber, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<Versioned<LinkRequest>>>(LinkRequests()
            .Where(r => r.Value.AbhaNumber == abhaNumber && r.Value.LinkRefNumber == linkRefNumber).OrderByDescending(r => r.Value.CreatedAt).ToList());

    public Task<string> ReplaceLinkRequestAsync(LinkRequest request, string ifMatch, CancellationToken ct) =>
        Task.FromResult(Put($"link:{request.AbhaNumber}:{request.Id}", request, ifMatch));

    public Task<Versioned<CareContextLinks>?> FindLinksAsync(string abhaNumber, string hipId, CancellationToken ct) =>
        Task.FromResult(Get<CareContextLinks>($"links:{abhaNumber}:{hipId}"));

    public Task<IReadOnlyList<CareContextLinks>> ListLinksAsync(string abhaNumber, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<CareContextLinks>>(documents.Values.Select(d => d.Value).OfType<CareContextLinks>()
            .Where(l => l.AbhaNumber == abhaNumber).ToList());

    public Task<string> SaveLinksAsync(CareContextLinks links, string? ifMatch, CancellationToken ct) =>
        Task.FromResult(Put($"links:{links.AbhaNumber}:{links.HipId}", links, ifMatch, createOnly: ifMatch is null));

    public Task SaveLinkTokenAsync(LinkToken token, CancellationToken ct)
    {
        Put("token:" + token.TokenHash, token, null, createOnly: true);
        return Task.CompletedTask;
    }

    public Task<LinkToken?> FindLinkTokenAsync(string tokenHash, CancellationToken ct) =>
        Task.FromResult(Get<LinkToken>("token:" + tokenHash)?.Value);
}

/// <summary>users/auth access tokens the test has issued, each mapped to its grant.</summary>
internal sealed class FixedAuthGrants : IPatientAuthLinkGrants
{
    public Dictionary<string, PatientAuthLinkGrant> Issued { get; } = new(StringComparer.Ordinal);

    public Task<PatientAuthLinkGrant?> ValidateAsync(string accessToken, CancellationToken ct) =>
        Task.FromResult(Issued.GetValueOrDefault(accessToken));
}
