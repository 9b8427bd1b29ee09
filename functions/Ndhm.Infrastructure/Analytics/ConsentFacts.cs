using Ndhm.Analytics;
using Ndhm.Consent;
using Ndhm.Core.Concurrency;

namespace Ndhm.Infrastructure.Analytics;

/// <summary>
/// Reports consent requests by purpose and outcome: REQUESTED when the record is created, then each decision
/// (GRANTED, DENIED, REVOKED, EXPIRED) when the record carrying it is written. A transition is the record's last
/// event while it is not yet notified (<see cref="ConsentRecord.Apply"/> appends it so; marking it notified later is no
/// new fact). The fact id is the request id and the outcome, so a retried or redelivered decision counts once.
/// Recorded before the write: a fact-store failure fails the operation with nothing changed. No patient, HIU or
/// requester identity, no purpose text: only the purpose code and the day.
/// </summary>
public sealed class ConsentFacts(IConsentStore inner, IAnalyticsFacts facts) : IConsentStore
{
    public const string Measure = "consent-requests";

    public async Task<string> CreateAsync(ConsentRecord record, CancellationToken ct)
    {
        if (FactOf(record, creating: true) is { } fact) await facts.RecordAsync(fact, ct);
        return await inner.CreateAsync(record, ct);
    }

    public async Task<string> ReplaceAsync(ConsentRecord record, string ifMatch, CancellationToken ct)
    {
        if (FactOf(record, creating: false) is { } fact) await facts.RecordAsync(fact, ct);
        return await inner.ReplaceAsync(record, ifMatch, ct);
    }

    /// <summary>The fact of the transition this write makes, or null when it makes none.</summary>
    public static AnalyticsFact? FactOf(ConsentRecord record, bool creating)
    {
        if (record.Events.Count == 0) return null;
        var last = record.Events[^1];
        if (!creating && last.Notified) return null;
        var outcome = ConsentStatuses.Name(last.Status);
        return new AnalyticsFact(AnalyticsFactIds.For(Measure, record.Id, outcome), Measure, FactCodes.Day(last.At),
            FactCodes.Dimensions(("purpose", record.Detail.Purpose.Code), ("outcome", outcome)), Patient: record.PatientNumber);
    }

    public Task<Versioned<ConsentRecord>?> FindAsync(string consentRequestId, CancellationToken ct) => inner.FindAsync(consentRequestId, ct);

    public Task<Versioned<ConsentRecord>?> FindByArtefactAsync(string artefactId, CancellationToken ct) => inner.FindByArtefactAsync(artefactId, ct);

    public Task<IReadOnlyList<ConsentRecord>> ListForPatientAsync(string patientNumber, ConsentStatus? status, bool emergencyOnly, int take,
        CancellationToken ct) => inner.ListForPatientAsync(patientNumber, status, emergencyOnly, take, ct);

    public Task<IReadOnlyList<string>> ListDueAsync(DateTimeOffset now, int take, CancellationToken ct) => inner.ListDueAsync(now, take, ct);

    public Task<IReadOnlyList<string>> ListUnnotifiedAsync(DateTimeOffset before, int take, CancellationToken ct) =>
        inner.ListUnnotifiedAsync(before, take, ct);
}
