using Ndhm.Core.Ids;
using Ndhm.Core.Errors;

namespace Ndhm.Consent.Subscriptions;

/// <summary>
/// Subscriptions: a HIU holding a STREAM or QUERY consent of a patient asks to hear of the patient's new care
/// contexts (subscription-requests/cm/init); the patient approves (the HIPs and categories they choose, never wider
/// than asked) or denies; each care context linked afterwards at a HIP in scope is told to the HIU
/// (subscriptions/hiu/notify) until the subscription is revoked or its period ends. Changes are If-Match replaces
/// (a lost race re-reads and re-decides), decided by <see cref="ConsentStateMachine"/> as for consents.
/// </summary>
public sealed class SubscriptionManager(
    ISubscriptionStore store,
    ISubscriptionNotifier notifier,
    IConsentStore consents,
    IConsentPatients patients,
    ConsentManager consentManager,
    ConsentAudit audit,
    ConsentOptions options,
    TimeProvider time)
{
    private readonly SubscriptionTransitions transitions = new(store, notifier, audit, time);

    /// <summary>Access modes of a consent that let its HIU subscribe.</summary>
    public static IReadOnlyList<string> SubscribableAccessModes { get; } = ["STREAM", "QUERY"];

    /// <summary>A request's id derives from the HIU and its REQUEST-ID, so a retried init finds the record it already made.</summary>
    public static string IdFor(string hiuPartnerId, string requestId) => DerivedIds.From("subscription-request:" + hiuPartnerId + ":" + requestId);

    /// <summary>A LINK event's id: the subscription, the HIP and the care contexts, so the same link told again is the same event.</summary>
    public static string EventIdFor(string subscriptionId, string hipId, IEnumerable<LinkedCareContextEvent> contexts) =>
        DerivedIds.From("subscription-event:" + subscriptionId + "\n" + hipId + "\n" +
             string.Join("\n", contexts.Select(c => c.PatientReference + "/" + c.CareContextReference).Order(StringComparer.Ordinal)));

    /// <summary>subscription-requests/cm/init: validates, checks the HIU, HIPs, patient and the HIU's consent, stores REQUESTED.</summary>
    public async Task<SubscriptionRecord> CreateAsync(string hiuPartnerId, string requestId, SubscriptionRequestInput? input, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var detail = SubscriptionValidation.Validate(input, now);
        var id = IdFor(hiuPartnerId, requestId);
        if (await store.FindAsync(id, ct) is { } existing) return existing.Value;

        await consentManager.EnsureHiuAsync(hiuPartnerId, detail.Hiu.Id, ct, "subscription.hiu.id");
        for (var i = 0; i < detail.Hips.Count; i++) await consentManager.EnsureHipAsync(detail.Hips[i].Id, $"subscription.hips[{i}].id", ct);
        var patient = await patients.FindNumberAsync(detail.Patient.Id, ct)
                      ?? throw new DomainException(ErrorKind.NotFound, ConsentErrors.PatientNotFound, "No patient has this ABHA address.", null,
                          new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.InvalidPatient, [ConsentErrors.Field] = "subscription.patient.id" });
        var granted = await consents.ListForPatientAsync(patient, ConsentStatus.Granted, emergencyOnly: false, 100, ct);
        var basis = AllowingConsent(granted, hiuPartnerId, detail.Hiu.Id, now) ?? throw SubscriptionErrors.NoConsent(detail.Hiu.Id);

        var actor = new ConsentActor(hiuPartnerId, "hiu");
        var record = SubscriptionRecord.Create(id, hiuPartnerId, patient, detail, now, now.AddHours(options.RequestLifetimeHours), actor, basis.Id);
        try
        {
            await store.CreateAsync(record, ct);
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Conflict)
        {
            return (await store.FindAsync(id, ct))!.Value; // a concurrent retry of the same init made it
        }

        await AuditAsync(record, "subscription.request.create", actor, "created", ct);
        return record;
    }

    /// <summary>The HIU's own patient scope: a consent this partner asked for, for this facility, granted, live, STREAM or QUERY.</summary>
    public static bool HoldsSubscribableConsent(ConsentRecord consent, string hiuPartnerId, string hiuId, DateTimeOffset now) =>
        consent.Status == ConsentStatus.Granted && consent.HiuPartnerId == hiuPartnerId && consent.Detail.Hiu.Id == hiuId
        && SubscribableAccessModes.Contains(consent.Detail.Permission.AccessMode) && !consent.IsDue(now);

    /// <summary>
    /// The consent a new subscription rests on (and ends with): of the HIU's subscribable consents of the patient, the
    /// one granted longest (latest end; the id breaks a tie, so the choice does not depend on listing order). Null: none.
    /// </summary>
    public static ConsentRecord? AllowingConsent(IEnumerable<ConsentRecord> granted, string hiuPartnerId, string hiuId, DateTimeOffset now) =>
        granted.Where(c => HoldsSubscribableConsent(c, hiuPartnerId, hiuId, now))
            .OrderByDescending(c => c.GrantedUntil).ThenBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault();

    public async Task<IReadOnlyList<SubscriptionRecord>> ListAsync(PatientContext patient, ConsentStatus? status, CancellationToken ct)
    {
        var records = await store.ListForPatientAsync(patient.PatientNumber, status, 100, ct);
        await audit.RecordSubscriptionAsync(patient.PatientNumber, "list", null, "subscription.list", patient.Actor, $"listed {records.Count}", ct);
        return records;
    }

    public async Task<SubscriptionRecord> GrantAsync(PatientContext patient, string subscriptionRequestId, SubscriptionGrantInput? input, CancellationToken ct)
    {
        var current = await RequirePatientsAsync(patient, subscriptionRequestId, ct);
        current.EnsureAllowed(ConsentStatus.Granted);
        if (current.IsDue(time.GetUtcNow())) throw SubscriptionErrors.NotPending(ConsentStatus.Expired);
        var sources = SubscriptionValidation.Narrow(current.Detail, input);
        for (var i = 0; i < sources.Count; i++)
            if (sources[i].Hip is { } hip) await consentManager.EnsureHipAsync(hip.Id, $"sources[{i}].hip.id", ct);
        return await TransitionAsync(subscriptionRequestId, patient.PatientNumber, ConsentStatus.Granted, patient.Actor, null, ct,
            Guid.NewGuid().ToString(), sources, guard: r => r.IsDue(time.GetUtcNow()) ? SubscriptionErrors.NotPending(ConsentStatus.Expired) : null);
    }

    public async Task<SubscriptionRecord> DenyAsync(PatientContext patient, string subscriptionRequestId, string? reason, CancellationToken ct)
    {
        await RequirePatientsAsync(patient, subscriptionRequestId, ct);
        return await TransitionAsync(subscriptionRequestId, patient.PatientNumber, ConsentStatus.Denied, patient.Actor,
            reason is { Length: > 256 } ? reason[..256] : reason, ct);
    }

    /// <summary>The patient ends a granted subscription (named by its subscription id): no event is told after this.</summary>
    public async Task<SubscriptionRecord> RevokeAsync(PatientContext patient, string subscriptionId, CancellationToken ct)
    {
        var found = await store.FindBySubscriptionIdAsync(subscriptionId, ct);
        if (found is null || found.Value.PatientNumber != patient.PatientNumber) throw SubscriptionErrors.RequestNotFound();
        return await TransitionAsync(found.Value.Id, patient.PatientNumber, ConsentStatus.Revoked, patient.Actor, null, ct);
    }

    /// <summary>The sweep's work: undecided requests past their lifetime and subscriptions past their period become EXPIRED.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var expired = 0;
        foreach (var id in await store.ListDueAsync(time.GetUtcNow(), options.SweepBatch, ct))
        {
            try
            {
                await TransitionAsync(id, null, ConsentStatus.Expired, ConsentActor.System("subscription-expiry"), "expired", ct,
                    guard: r => r.IsDue(time.GetUtcNow()) ? null : SubscriptionErrors.NotPending(r.Status));
                expired++;
            }
            catch (DomainException e) when (SubscriptionTransitions.AlreadySettled(e))
            {
                // decided, revoked or expired meanwhile
            }
        }

        return expired;
    }

    /// <summary>A HIU's on-notify: recorded when it answers a notification of that kind sent to that partner; else SUBSCRIPTION_NOTIFICATION_NOT_FOUND.</summary>
    public async Task AcknowledgeAsync(string partnerId, string kind, string notificationRequestId, string field, CancellationToken ct)
    {
        if (!await notifier.AcknowledgeAsync(partnerId, kind, notificationRequestId, ct)) throw SubscriptionErrors.NoSuchNotification(field);
    }

    /// <summary>
    /// Care contexts were just linked for the patient at a HIP (Linking's store, the one place every link passes):
    /// each granted subscription whose scope holds that HIP, LINK and this moment tells its HIU, once per event.
    /// </summary>
    public async Task<int> CareContextsLinkedAsync(string patientNumber, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts, DateTimeOffset at,
        CancellationToken ct)
    {
        if (contexts.Count == 0) return 0;
        var told = 0;
        foreach (var subscription in await store.ListForPatientAsync(patientNumber, ConsentStatus.Granted, 100, ct))
        {
            if (subscription.ScopeFor(hipId, SubscriptionCategories.Link, at) is null) continue;
            var eventId = EventIdFor(subscription.SubscriptionId!, hipId, contexts);
            await notifier.TellLinkedAsync(subscription, eventId, hipId, contexts, at, ct);
            await AuditAsync(subscription, "subscription.notify", ConsentActor.System("subscription"), $"told {contexts.Count} care context(s) at {hipId}", ct);
            told++;
        }

        return told;
    }

    private async Task<SubscriptionRecord> RequirePatientsAsync(PatientContext patient, string id, CancellationToken ct)
    {
        var found = await store.FindAsync(id, ct);
        return found is not null && found.Value.PatientNumber == patient.PatientNumber ? found.Value : throw SubscriptionErrors.RequestNotFound();
    }

    private Task<SubscriptionRecord> TransitionAsync(string id, string? patientNumber, ConsentStatus to, ConsentActor actor, string? reason,
        CancellationToken ct, string? subscriptionId = null, IReadOnlyList<SubscriptionSource>? sources = null,
        Func<SubscriptionRecord, DomainException?>? guard = null) =>
        transitions.ApplyAsync(id, patientNumber, to, actor, reason, ct, subscriptionId, sources, guard);

    private Task AuditAsync(SubscriptionRecord record, string action, ConsentActor actor, string outcome, CancellationToken ct) =>
        transitions.AuditAsync(record, action, actor, outcome, ct);
}
