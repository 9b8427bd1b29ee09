using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Ndhm.Phr;
using Ndhm.Phr.Consents;
using Ndhm.Phr.Records;
using Ndhm.UnitTests.HealthId;

namespace Ndhm.UnitTests.Phr;

/// <summary>A PHR record service over in-memory ports, a recording audit trail and a controllable clock.</summary>
internal sealed class PhrRig
{
    public const string Patient = "91123456789012";
    public const string OtherPatient = "91999999999999";

    public PhrRig(PhrOptions? options = null)
    {
        Options = options ?? new PhrOptions { InlinePayloadBytes = 1024, MaxUploadBytes = 64 * 1024, MaxPageSize = 3 };
        Service = Build();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
    public InMemoryHealthRecordStore Store { get; } = new();
    public InMemoryPayloads Payloads { get; } = new();
    public RecordingAuditTrail Audit { get; } = new();
    public PhrOptions Options { get; }
    public PhrRecordService Service { get; }
    public List<ConsentGrant> Grants { get; } = [];

    /// <summary>Another service instance over the same stores (a restarted host).</summary>
    public PhrRecordService Build() => new(Store, Payloads, new Consents(this), new PhrAudit(Audit, new NoCurrentActor()), Options, Time);

    public static string Bundle(string title = "Prescription", string timestamp = "2026-11-20T09:30:00Z", string? attachmentBase64 = null, int padding = 0) =>
        "{\"resourceType\":\"Bundle\",\"type\":\"document\",\"timestamp\":\"" + timestamp + "\",\"entry\":[" +
        "{\"resource\":{\"resourceType\":\"Composition\",\"title\":\"" + title + "\"}}" +
        (attachmentBase64 is null ? "" : ",{\"resource\":{\"resourceType\":\"DocumentReference\",\"content\":[{\"attachment\":{\"contentType\":\"application/pdf\",\"title\":\"scan.pdf\",\"data\":\"" + attachmentBase64 + "\"}}]}}") +
        "]" + (padding > 0 ? ",\"text\":\"" + new string('x', padding) + "\"" : "") + "}";

    public static PulledHealthRecord Pulled(string transaction = "txn-1", string careContext = "OP-1", string hiType = "Prescription",
        DateTimeOffset? eraseAt = null, string? bundle = null, string patient = Patient, string hip = "IN2810000002") =>
        new(patient, "artefact-1", transaction, hip, careContext, hiType, bundle ?? Bundle(), eraseAt ?? new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static readonly byte[] MinimalPdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF\n");

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    public Task<HealthRecord> UploadAsync(byte[] content, string contentType = "application/pdf", string? fileName = "report.pdf", string patient = Patient) =>
        Service.UploadAsync(new HealthDocumentUpload(patient, contentType, new MemoryStream(content), null, fileName), CancellationToken.None);

    private sealed class Consents(PhrRig rig) : IPatientConsentGrants
    {
        public Task<IReadOnlyList<ConsentGrant>> ListActiveAsync(string patientNumber, DateTimeOffset now, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<ConsentGrant>>(rig.Grants.Where(g => g.GrantedUntil > now).ToList());
    }
}

internal sealed class InMemoryHealthRecordStore : IHealthRecordStore
{
    public ConcurrentDictionary<(string Patient, string Id), (HealthRecord Record, byte[]? Inline)> Records { get; } = new();

    public Task<StoredHealthRecord?> FindAsync(string patientNumber, string recordId, bool withPayload, CancellationToken ct) =>
        Task.FromResult(Records.TryGetValue((patientNumber, recordId), out var found)
            ? new StoredHealthRecord(found.Record, withPayload ? found.Inline : null)
            : null);

    public Task<bool> TryCreateAsync(HealthRecord record, byte[]? inlinePayload, CancellationToken ct) =>
        Task.FromResult(Records.TryAdd((record.PatientNumber, record.Id), (record, inlinePayload)));

    public Task<IReadOnlyList<HealthRecord>> ListAsync(string patientNumber, TimelineFilter filter, string? before, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<HealthRecord>>(Records.Values.Select(v => v.Record)
            .Where(r => r.PatientNumber == patientNumber)
            .Where(r => filter.HiType is null || r.HiType == filter.HiType)
            .Where(r => filter.HipId is null || r.HipId == filter.HipId)
            .Where(r => filter.Source is null || r.Source == filter.Source)
            .Where(r => filter.From is null || r.RecordDate >= filter.From)
            .Where(r => filter.To is null || r.RecordDate <= filter.To)
            .Where(r => before is null || string.CompareOrdinal(TimelineCursor.SortKey(r), before) < 0)
            .OrderByDescending(TimelineCursor.SortKey, StringComparer.Ordinal)
            .Take(take).ToList());

    public Task<bool> DeleteAsync(string patientNumber, string recordId, CancellationToken ct) =>
        Task.FromResult(Records.TryRemove((patientNumber, recordId), out _));

    public Task<IReadOnlyList<HealthRecordKey>> ListEraseDueAsync(DateTimeOffset now, int take, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<HealthRecordKey>>(Records.Values.Select(v => v.Record).Where(r => r.IsEraseDue(now))
            .Take(take).Select(r => new HealthRecordKey(r.PatientNumber, r.Id)).ToList());

    public Task<int> DeleteAllAsync(string patientNumber, CancellationToken ct)
    {
        var keys = Records.Keys.Where(k => k.Patient == patientNumber).ToList();
        foreach (var key in keys) Records.TryRemove(key, out _);
        return Task.FromResult(keys.Count);
    }
}

internal sealed class InMemoryPayloads : IHealthRecordPayloads
{
    public ConcurrentDictionary<(string Patient, string Id), byte[]> Blobs { get; } = new();

    public async Task WriteAsync(string patientNumber, string recordId, Stream plaintext, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        await plaintext.CopyToAsync(buffer, 4096, ct);
        Blobs[(patientNumber, recordId)] = buffer.ToArray();
    }

    public async Task CopyToAsync(string patientNumber, string recordId, Stream destination, CancellationToken ct) =>
        await destination.WriteAsync(Blobs[(patientNumber, recordId)], ct);

    public Task DeleteAsync(string patientNumber, string recordId, CancellationToken ct)
    {
        Blobs.TryRemove((patientNumber, recordId), out _);
        return Task.CompletedTask;
    }

    public Task<int> DeleteAllAsync(string patientNumber, CancellationToken ct)
    {
        var keys = Blobs.Keys.Where(k => k.Patient == patientNumber).ToList();
        foreach (var key in keys) Blobs.TryRemove(key, out _);
        return Task.FromResult(keys.Count);
    }
}
