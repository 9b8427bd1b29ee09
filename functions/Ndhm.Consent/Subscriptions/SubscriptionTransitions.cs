using Ndhm.Core.Errors;

namespace Ndhm.Consent.Subscriptions;

/// <summary>
/// The one way a subscription request changes state: read, decide with <see cref="ConsentStateMachine"/>, If-Match
/// replace (a lost race re-reads and decides again), audit (<c>subscription.&lt;status&gt;</c>), and tell the HIU of a
/// grant or denial. Shared by the patient's and the sweep's decisions (<see cref="SubscriptionManager"/>) and by a
/// consent's end (<see cref="SubscriptionConsentEndings"/>).
/// </summary>
public sealed class SubscriptionTransitions(ISubscriptionStore store, ISubscriptionNotifier notifier, ConsentAudit audit, TimeProvider time)
{
    private const int MaxAttempts = 8;

    public Task<SubscriptionRecord> ApplyAsync(string id, string? patientNumber, ConsentStatus to, ConsentActor actor, string? reason,
        CancellationToken ct, string? subscriptionId = null, IReadOnlyList<SubscriptionSource>? sources = null,
        Func<SubscriptionRecord, DomainException?>? guard = null) =>
        ApplyAsync(id, patientNumber, _ => to, actor, reason, ct, subscriptionId, sources, guard);

    /// <summary>As above, the target decided on each read (<paramref name="decide"/>), so a re-read after a lost race decides anew.</summary>
    public async Task<SubscriptionRecord> ApplyAsync(string id, string? patientNumber, Func<SubscriptionRecord, ConsentStatus> decide, ConsentActor actor,
        string? reason, CancellationToken ct, string? subscriptionId = null, IReadOnlyList<SubscriptionSource>? sources = null,
        Func<SubscriptionRecord, DomainException?>? guard = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.FindAsync(id, ct);
            if (current is null || (patientNumber is not null && current.Value.PatientNumber != patientNumber)) throw SubscriptionErrors.RequestNotFound();
            var to = decide(current.Value);
            current.Value.EnsureAllowed(to);
            if (guard?.Invoke(current.Value) is { } refused) throw refused;
            var next = current.Value.Apply(to, time.GetUtcNow(), actor, reason, subscriptionId, sources);
            try
            {
                await store.ReplaceAsync(next, current.ETag, ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt < MaxAttempts)
            {
                continue;
            }

            await AuditAsync(next, "subscription." + ConsentStatuses.Name(to).ToLowerInvariant(), actor, ConsentStatuses.Name(to), ct);
            if (to is ConsentStatus.Granted or ConsentStatus.Denied) await notifier.TellDecisionAsync(next, next.Events[^1], ct);
            return next;
        }
    }

    public Task AuditAsync(SubscriptionRecord record, string action, ConsentActor actor, string outcome, CancellationToken ct) =>
        audit.RecordSubscriptionAsync(record.PatientNumber, record.Id, record.Detail.Purpose.Code, action, actor, outcome, ct);

    /// <summary>Whether <paramref name="e"/> says the record was decided, ended or removed meanwhile (nothing left to do).</summary>
    public static bool AlreadySettled(DomainException e) =>
        e.Code is SubscriptionErrors.SubscriptionNotPending or SubscriptionErrors.SubscriptionNotGranted or SubscriptionErrors.SubscriptionRequestNotFound;
}

/// <summary>
/// A subscription ends with the consent it was allowed under (<see cref="SubscriptionRecord.ConsentRequestId"/>):
/// when that consent is revoked, each granted subscription resting on it becomes REVOKED, when it expires EXPIRED,
/// and a request still awaiting the patient EXPIRED (the only end the state machine allows it). Another live consent
/// of the same HIU that would also allow the subscription does not keep it alive: the HIU subscribes again under
/// that one. Audited as any subscription transition (actor <c>system:consent-end</c>); idempotent (what already ended
/// is left alone), so the consent sweep may run it again.
/// </summary>
public sealed class SubscriptionConsentEndings(ISubscriptionStore store, ISubscriptionNotifier notifier, ConsentAudit audit, TimeProvider time)
    : IConsentDependents
{
    private readonly SubscriptionTransitions transitions = new(store, notifier, audit, time);

    public async Task ConsentEndedAsync(ConsentRecord consent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(consent);
        if (consent.Status is not (ConsentStatus.Revoked or ConsentStatus.Expired)) return;
        var resting = new List<SubscriptionRecord>();
        foreach (var status in new[] { ConsentStatus.Granted, ConsentStatus.Requested })
            resting.AddRange((await store.ListForPatientAsync(consent.PatientNumber, status, 100, ct)).Where(s => s.RestsOn(consent)));
        var reason = $"consent {consent.Id} {ConsentStatuses.Name(consent.Status).ToLowerInvariant()}";
        foreach (var subscription in resting)
        {
            try
            {
                // Decided on what is read: a request granted meanwhile ends as a subscription does.
                await transitions.ApplyAsync(subscription.Id, consent.PatientNumber,
                    current => current.Status == ConsentStatus.Granted ? consent.Status : ConsentStatus.Expired,
                    ConsentActor.System("consent-end"), reason, ct);
            }
            catch (DomainException e) when (SubscriptionTransitions.AlreadySettled(e))
            {
                // revoked, denied or expired meanwhile
            }
        }
    }
}
