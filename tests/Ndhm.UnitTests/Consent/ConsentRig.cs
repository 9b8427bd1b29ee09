using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Consent;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Registry;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;
using Ndhm.UnitTests.HealthId;
using Ndhm.UnitTests.Security.Tokens;

namespace Ndhm.UnitTests.Consent;

/// <summary>A consent manager over in-memory ports: a store with ETags, a recording notifier, registries and partners.</summary>
internal sealed class ConsentRig : IDisposable
{
    public const string Hiu = "IN2810000001";
    public const string Hip = "IN2810000002";
    public const string OtherHip = "IN2810000003";
    public const string Unverified = "IN2810000009";
    public const string HiuPartner = "clinic-hiu";
    public const string HipPartner = "city-hospital";
    public const string Doctor = "71234567890123";
    public const string UnverifiedDoctor = "71234567890999";
    public const string PatientAddress = "ravi.kumar@sbx";
    public const string PatientNumber = "91123456789012";
    public const string Nominee = "91999999999999";

    public ConsentRig()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        Signing = new InMemorySigningKeys();
        Manager = Build(Store, Notifier);
    }

    public FakeTimeProvider Time { get; }
    public InMemorySigningKeys Signing { get; }
    public InMemoryConsentStore Store { get; } = new();
    public RecordingConsentNotifier Notifier { get; } = new();
    public RecordingAuditTrail Audit { get; } = new();
    public ConsentOptions Options { get; } = new();

    /// <summary>The patient's linked care contexts: those the requests below name, at each HIP.</summary>
    public LinkedContexts Linked { get; } = new();

    /// <summary>What ends with a grant: the consents each ending told, passed on to <see cref="ConsentDependents.Target"/> when set (subscriptions).</summary>
    public ConsentDependents Dependents { get; } = new();
    public ConsentManager Manager { get; }

    public ConsentManager Build(IConsentStore store, IConsentNotifier notifier) => new(store, notifier, new Patients(), new Nominees(),
        new Facilities(), new Professionals(), new Partners(), Linked, Dependents, new ConsentSigner(Signing), new ConsentAudit(Audit, new NoCurrentActor()), Options, Time);

    public PatientContext Patient => new(new ConsentActor(PatientNumber, "patient"), PatientNumber);

    public static ConsentRequestInput Request(string purpose = "CAREMGT", string? hip = Hip, bool careContexts = true, string hiu = Hiu,
        string doctor = Doctor, string[]? hiTypes = null, DateTimeOffset? eraseAt = null, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        new(new PurposeInput("Care management", purpose, "https://ndhm.gov.in/purpose"),
            new IdInput(PatientAddress),
            hip is null ? null : new IdInput(hip),
            careContexts && hip is not null ? [new CareContextInput("P-1", "visit-1"), new CareContextInput("P-1", "visit-2")] : null,
            new IdInput(hiu),
            new RequesterInput("Dr. Manju", new RequesterIdentifierInput("HPR", doctor, "https://hpr.abdm.gov.in")),
            hiTypes ?? ["OPConsultation", "Prescription"],
            new PermissionInput("VIEW", new DateRangeInput(from ?? new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), to ?? new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
                eraseAt ?? new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero), new FrequencyInput("HOUR", 1, 0)));

    public Task<ConsentRecord> CreateAsync(ConsentRequestInput? input = null, string? requestId = null) =>
        Manager.CreateAsync(HiuPartner, requestId ?? Guid.NewGuid().ToString(), input ?? Request(), CancellationToken.None);

    public void Dispose() => Signing.Dispose();

    internal sealed class ConsentDependents : IConsentDependents
    {
        private readonly ConcurrentQueue<(string Id, ConsentStatus Status)> ended = new();

        public IConsentDependents? Target { get; set; }

        public IReadOnlyList<(string Id, ConsentStatus Status)> Ended => ended.ToList();

        public Task ConsentEndedAsync(ConsentRecord consent, CancellationToken ct)
        {
            ended.Enqueue((consent.Id, consent.Status));
            return Target?.ConsentEndedAsync(consent, ct) ?? Task.CompletedTask;
        }
    }

    internal sealed class LinkedContexts : IConsentCareContexts
    {
        public HashSet<(string Patient, string Hip, CareContextRef Context)> Links { get; } =
        [
            (PatientNumber, Hip, new CareContextRef("P-1", "visit-1")),
            (PatientNumber, Hip, new CareContextRef("P-1", "visit-2")),
            (PatientNumber, OtherHip, new CareContextRef("X-9", "lab-3")),
        ];

        public Task<IReadOnlyList<CareContextRef>> NotLinkedAsync(string patientNumber, string hipId, IReadOnlyList<CareContextRef> contexts,
            CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<CareContextRef>>(contexts.Where(c => !Links.Contains((patientNumber, hipId, c))).ToList());
    }

    private sealed class Patients : IConsentPatients
    {
        public Task<string?> FindNumberAsync(string abhaAddress, CancellationToken ct) =>
            Task.FromResult(abhaAddress == PatientAddress ? PatientNumber : null);
    }

    private sealed class Nominees : INomineeAuthority
    {
        public Task<bool> CanActForAsync(string nomineeSubject, string patientNumber, CancellationToken ct) =>
            Task.FromResult(nomineeSubject == Nominee && patientNumber == PatientNumber);
    }

    private sealed class Partners : IPartnerDirectory
    {
        public Task<PartnerEndpoint?> FindAsync(string partnerId, CancellationToken ct) => Task.FromResult(partnerId switch
        {
            HiuPartner => new PartnerEndpoint(HiuPartner, new Uri("https://hiu.example"), new HashSet<string> { "HIU" }, true,
                new HashSet<string> { Hiu, Unverified }),
            HipPartner => new PartnerEndpoint(HipPartner, new Uri("https://hip.example"), new HashSet<string> { "HIP" }, true, new HashSet<string> { Hip }),
            _ => null,
        });
    }

    private sealed class Facilities : IFacilityRegistry
    {
        public Task<Facility?> FindAsync(FacilityId id, CancellationToken ct) => throw new NotSupportedException();

        public Task<Facility> EnsureVerifiedHipAsync(FacilityId id, CancellationToken ct) =>
            id.Value is Hiu or Hip or OtherHip
                ? Task.FromResult(new Facility
                {
                    Id = id, Name = "Facility", Type = FacilityType.Hospital, Ownership = FacilityOwnership.Private, SystemsOfMedicine = [],
                    Address = new FacilityAddress("1 Main Road", null, "District", "28", "Andhra Pradesh", "500001"),
                    Location = new GeoPoint(17.385, 78.4867), Contact = new FacilityContact(null, null, null),
                    Verified = true, RegisteredBy = "admin", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
                })
                : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.FacilityNotVerified, "The facility is not verified.");
    }

    private sealed class Professionals : IProfessionalRegistry
    {
        public Task<Professional?> FindAsync(HprId id, CancellationToken ct) => throw new NotSupportedException();

        public Task<Professional> EnsureVerifiedPractitionerAsync(HprId id, CancellationToken ct) =>
            id.Value == Doctor
                ? Task.FromResult(new Professional
                {
                    Id = id, HprAddress = "manju@hpr.sbx", Name = "Dr. Manju", Category = ProfessionalCategory.Doctor, Council = "MCI",
                    RegistrationNumber = "MH1001", Qualifications = [], Specialties = [], Languages = [], FacilityIds = [FacilityId.Parse(Hiu)],
                    Verified = true, RegisteredBy = "admin", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
                })
                : throw new DomainException(ErrorKind.Forbidden, RegistryErrors.ProfessionalNotVerified, "The professional is not verified.");
    }
}

/// <summary>Records in memory with Cosmos-like ETags: every write a new ETag, If-Match compare-and-swap under a lock.</summary>
internal sealed class InMemoryConsentStore : IConsentStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, Versioned<ConsentRecord>> records = [];

    public int Replaces { get; private set; }

    public Task<string> CreateAsync(ConsentRecord record, CancellationToken ct)
    {
        lock (gate)
        {
            if (records.ContainsKey(record.Id)) throw new DomainException(ErrorKind.Conflict, ErrorCodes.Conflict, "exists");
            var etag = Guid.NewGuid().ToString();
            records[record.Id] = new Versioned<ConsentRecord>(record, etag);
            return Task.FromResult(etag);
        }
    }

    public async Task<Versioned<ConsentRecord>?> FindAsync(string consentRequestId, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate) return records.GetValueOrDefault(consentRequestId);
    }

    public async Task<Versioned<ConsentRecord>?> FindByArtefactAsync(string artefactId, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate) return records.Values.FirstOrDefault(r => r.Value.Artefact(artefactId) is not null);
    }

    public async Task<string> ReplaceAsync(ConsentRecord record, string ifMatch, CancellationToken ct)
    {
        await Task.Yield();
        lock (gate)
        {
            if (!records.TryGetValue(record.Id, out var current) || current.ETag != ifMatch)
                throw new DomainException(ErrorKind.PreconditionFailed, ErrorCodes.ConcurrentUpdate, "changed");
            var etag = Guid.NewGuid().ToString();
            records[record.Id] = new Versioned<ConsentRecord>(record, etag);
            Replaces++;
            return etag;
        }
    }

    public Task<IReadOnlyList<ConsentRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, bool emergencyOnly, int take, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<ConsentRecord>>(records.Values.Select(v => v.Value)
                .Where(r => r.PatientNumber == patientNumber && (status is null || r.Status == status) && (!emergencyOnly || r.IsEmergency))
                .OrderByDescending(r => r.CreatedAt).Take(take).ToList());
    }

    public Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<string>>(records.Values.Where(r => r.Value.IsDue(now)).Select(r => r.Value.Id).Take(take).ToList());
    }

    public Task<IReadOnlyList<string>> ListUnnotifiedAsync(DateTimeOffset before, int take, CancellationToken ct)
    {
        lock (gate)
            return Task.FromResult<IReadOnlyList<string>>(records.Values.Where(r => r.Value.Events.Any(e => !e.Notified && e.At <= before))
                .Select(r => r.Value.Id).Take(take).ToList());
    }

    public ConsentRecord Get(string id)
    {
        lock (gate) return records[id].Value;
    }
}

internal sealed class RecordingConsentNotifier : IConsentNotifier
{
    public ConcurrentQueue<(string ConsentId, int Seq, ConsentStatus Status, IReadOnlyList<string> Hips)> Sent { get; } = new();
    public ConcurrentQueue<string> Emergencies { get; } = new();

    /// <summary>When set, the next notification fails (as a crash between the write and the notification would).</summary>
    public bool FailNext { get; set; }

    public Task NotifyAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct)
    {
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("notifier down");
        }

        var hips = transition.Status is ConsentStatus.Granted or ConsentStatus.Revoked or ConsentStatus.Expired
            ? record.Artefacts.Select(a => a.HipId).ToList()
            : [];
        Sent.Enqueue((record.Id, transition.Seq, transition.Status, hips));
        return Task.CompletedTask;
    }

    public Task TellPatientOfEmergencyAsync(ConsentRecord record, CancellationToken ct)
    {
        Emergencies.Enqueue(record.Id);
        return Task.CompletedTask;
    }

    public Task<bool> AcknowledgeAsync(string partnerId, string notificationRequestId, CancellationToken ct) => Task.FromResult(false);

    public Task<int> ResendUnacknowledgedAsync(CancellationToken ct) => Task.FromResult(0);
}
