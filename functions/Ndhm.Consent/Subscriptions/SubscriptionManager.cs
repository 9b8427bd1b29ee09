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
    ISubscriptionOutbox outbox,
    IConsentCareContexts careContexts,
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
    /// Care contexts are about to be linked for the patient at a HIP (Linking's store, before it saves): when a granted
    /// subscription of the patient holds that HIP, LINK and this moment, the event is written down first
    /// (<see cref="ISubscriptionOutbox"/>), so a crash after the save and before the telling is told by the sweep.
    /// Null: no subscription wants it now (nothing written). Hand the result to <see cref="CareContextsLinkedAsync"/>.
    /// </summary>
    public async Task<PendingSubscriptionEvent?> CareContextsLinkingAsync(string patientNumber, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts,
        DateTimeOffset at, CancellationToken ct)
    {
        if (contexts.Count == 0) return null;
        var pending = Pending(patientNumber, hipId, SubscriptionCategories.Link, contexts, at, null);
        return await WriteIfWantedAsync(pending, await store.ListForPatientAsync(patientNumber, ConsentStatus.Granted, 100, ct), ct) ? pending : null;
    }

    /// <summary>The save <paramref name="pending"/> was written for was refused: nothing is to be told of it.</summary>
    public Task LinkNotSavedAsync(PendingSubscriptionEvent pending, CancellationToken ct) => outbox.RemoveAsync(pending, ct);

    /// <summary>
    /// Care contexts were just linked for the patient at a HIP (Linking's store, the one place every link passes):
    /// each granted subscription whose scope holds that HIP, LINK and this moment tells its HIU, once per event; then
    /// the event written down before the save (<paramref name="pending"/>, if any) is removed.
    /// </summary>
    public async Task<int> CareContextsLinkedAsync(string patientNumber, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts, DateTimeOffset at,
        CancellationToken ct, PendingSubscriptionEvent? pending = null)
    {
        var told = await TellAsync(patientNumber, hipId, SubscriptionCategories.Link, contexts, at, null, null, ct);
        if (pending is not null) await outbox.RemoveAsync(pending, ct);
        return told;
    }

    /// <summary>
    /// A HIP told of new data in a care context linked there (<c>links/context/notify</c>): each granted subscription
    /// whose scope holds that HIP, DATA and this moment tells its HIU, with the care context and the new data's hiTypes
    /// (those ABDM knows). The event id derives from the subscription and the notice, so the same notice told twice is
    /// one delivery. Written down before it is told and removed after, as links are.
    /// </summary>
    public async Task<int> NewDataAsync(string patientNumber, string hipId, LinkedCareContextEvent context, DateTimeOffset at, string noticeKey,
        CancellationToken ct)
    {
        var known = context with { HiTypes = context.HiTypes.Where(ConsentCodes.HiTypes.Contains).Distinct(StringComparer.Ordinal).ToList() };
        var pending = Pending(patientNumber, hipId, SubscriptionCategories.Data, [known], at, noticeKey);
        var granted = await store.ListForPatientAsync(patientNumber, ConsentStatus.Granted, 100, ct);
        if (!await WriteIfWantedAsync(pending, granted, ct)) return 0;
        var told = await TellAsync(patientNumber, hipId, SubscriptionCategories.Data, [known], at, noticeKey, granted, ct);
        await outbox.RemoveAsync(pending, ct);
        return told;
    }

    /// <summary>
    /// The sweep's work: events written down longer ago than <see cref="ConsentOptions.RenotifyAfter"/> and never told
    /// (the process died between) are told now (the same event ids, so what was told already is the same delivery). A
    /// LINK event tells only the care contexts linked now: the save it was written for may have failed.
    /// </summary>
    public async Task<int> TellLeftoverEventsAsync(CancellationToken ct)
    {
        var told = 0;
        foreach (var pending in await outbox.ListWrittenBeforeAsync(time.GetUtcNow() - options.RenotifyAfter, options.SweepBatch, ct))
        {
            var contexts = pending.Contexts;
            if (pending.Category == SubscriptionCategories.Link)
            {
                var notLinked = await careContexts.NotLinkedAsync(pending.PatientNumber, pending.HipId,
                    contexts.Select(c => new CareContextRef(c.PatientReference, c.CareContextReference)).ToList(), ct);
                contexts = contexts.Where(c => !notLinked.Contains(new CareContextRef(c.PatientReference, c.CareContextReference))).ToList();
            }

            told += await TellAsync(pending.PatientNumber, pending.HipId, pending.Category, contexts, pending.At, pending.NoticeKey, null, ct);
            await outbox.RemoveAsync(pending, ct);
        }

        return told;
    }

    /// <summary>The sweep's work: notifications the HIU did not acknowledge in time, sent again (bounded; see <see cref="ISubscriptionNotifier.ResendUnacknowledgedAsync"/>).</summary>
    public Task<int> ResendUnacknowledgedAsync(CancellationToken ct) => notifier.ResendUnacknowledgedAsync(ct);

    /// <summary>A DATA event's id: the subscription, the HIP, the care context, its hiTypes and the notice.</summary>
    public static string DataEventIdFor(string subscriptionId, string hipId, LinkedCareContextEvent context, string noticeKey) =>
        DerivedIds.From("subscription-event:DATA:" + subscriptionId + "\n" + hipId + "\n" + context.PatientReference + "/" + context.CareContextReference + "\n" +
                        string.Join(",", context.HiTypes.Order(StringComparer.Ordinal)) + "\n" + noticeKey);

    private PendingSubscriptionEvent Pending(string patientNumber, string hipId, string category, IReadOnlyList<LinkedCareContextEvent> contexts,
        DateTimeOffset at, string? noticeKey) =>
        new(DerivedIds.From("subscription-pending:" + category + "\n" + patientNumber + "\n" + hipId + "\n" +
                            string.Join("\n", contexts.Select(c => c.PatientReference + "/" + c.CareContextReference).Order(StringComparer.Ordinal)) + "\n" + noticeKey),
            patientNumber, hipId, category, contexts, at, noticeKey, time.GetUtcNow());

    private async Task<bool> WriteIfWantedAsync(PendingSubscriptionEvent pending, IReadOnlyList<SubscriptionRecord> granted, CancellationToken ct)
    {
        if (!granted.Any(s => s.ScopeFor(pending.HipId, pending.Category, pending.At) is not null)) return false;
        await outbox.AddAsync(pending, ct);
        return true;
    }

    private async Task<int> TellAsync(string patientNumber, string hipId, string category, IReadOnlyList<LinkedCareContextEvent> contexts, DateTimeOffset at,
        string? noticeKey, IReadOnlyList<SubscriptionRecord>? granted, CancellationToken ct)
    {
        if (contexts.Count == 0) return 0;
        var told = 0;
        foreach (var subscription in granted ?? await store.ListForPatientAsync(patientNumber, ConsentStatus.Granted, 100, ct))
        {
            if (subscription.ScopeFor(hipId, category, at) is null) continue;
            var eventId = category == SubscriptionCategories.Data
                ? DataEventIdFor(subscription.SubscriptionId!, hipId, contexts[0], noticeKey ?? "")
                : EventIdFor(subscription.SubscriptionId!, hipId, contexts);
            await notifier.TellEventAsync(subscription, eventId, category, hipId, contexts, at, ct);
            await AuditAsync(subscription, "subscription.notify", ConsentActor.System("subscription"),
                $"told {category} of {contexts.Count} care context(s) at {hipId}", ct);
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
