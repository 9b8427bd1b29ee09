using Ndhm.Core.Ids;
using Ndhm.Core.Concurrency;
using Ndhm.Core.Errors;
using Ndhm.Core.Partners;
using Ndhm.Registry;
using Ndhm.Registry.Facilities;
using Ndhm.Registry.Professionals;

namespace Ndhm.Consent;

/// <summary>The patient (or their nominee) deciding: who acts, and for which patient (ABHA number digits).</summary>
public sealed record PatientContext(ConsentActor Actor, string PatientNumber);

/// <summary>
/// The consent manager: HIUs request consent, patients (or nominees) grant, deny and revoke, the platform expires.
/// Each change is one If-Match replace of the record (a lost race re-reads and re-decides, so two concurrent
/// decisions never both take effect), then the notifications of that transition (and, when a grant ends, the end of
/// what rests on it: <see cref="IConsentDependents"/>), then the event marked notified (a sweep re-sends what a crash
/// left unsent; the notifier and the dependents are idempotent per event).
/// </summary>
public sealed class ConsentManager(
    IConsentStore store,
    IConsentNotifier notifier,
    IConsentPatients patients,
    INomineeAuthority nominees,
    IFacilityRegistry facilities,
    IProfessionalRegistry professionals,
    IPartnerDirectory partners,
    IConsentCareContexts careContexts,
    IConsentDependents dependents,
    ConsentSigner signer,
    ConsentAudit audit,
    ConsentOptions options,
    TimeProvider time)
{
    private const int MaxAttempts = 8;

    /// <summary>A request's id derives from the HIU and its REQUEST-ID, so a retried init finds the record it already made.</summary>
    public static string IdFor(string hiuPartnerId, string requestId) => DerivedIds.From("consent-request:" + hiuPartnerId + ":" + requestId);

    /// <summary>Who acts for <paramref name="patientNumber"/>: the patient themselves, or a nominee the nominee authority accepts.</summary>
    public async Task<PatientContext> ActingForAsync(string callerSubject, string callerPatientNumber, string? onBehalfOf, CancellationToken ct)
    {
        if (onBehalfOf is null || onBehalfOf == callerPatientNumber)
            return new PatientContext(new ConsentActor(callerSubject, "patient"), callerPatientNumber);
        return await nominees.CanActForAsync(callerSubject, onBehalfOf, ct)
            ? new PatientContext(new ConsentActor(callerSubject, "nominee", onBehalfOf), onBehalfOf)
            : throw new DomainException(ErrorKind.Forbidden, ErrorCodes.Forbidden, "You may not act for this patient.",
                "Only the patient or a nominee they appointed may decide on their consents.");
    }

    /// <summary>consent-requests/init: validates, checks the registries, stores REQUESTED (emergency access is granted at once).</summary>
    public async Task<ConsentRecord> CreateAsync(string hiuPartnerId, string requestId, ConsentRequestInput? input, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var detail = ConsentRequestValidation.Validate(input, now);
        var id = IdFor(hiuPartnerId, requestId);
        if (await store.FindAsync(id, ct) is { } existing)
        {
            // A retried init whose first run died between creating an emergency request and granting it finishes the grant.
            return existing.Value is { IsEmergency: true, Status: ConsentStatus.Requested } pending ? await GrantEmergencyAsync(pending, ct) : existing.Value;
        }

        await EnsureHiuAsync(hiuPartnerId, detail.Hiu.Id, ct);
        if (detail.Hip is { } hip) await EnsureHipAsync(hip.Id, "consent.hip.id", ct);
        var requester = await EnsureRequesterAsync(detail.Requester, ct);
        if (detail.IsEmergency)
        {
            if (!requester.FacilityIds.Any(f => f.Value == detail.Hiu.Id))
                throw new DomainException(ErrorKind.Forbidden, ConsentErrors.EmergencyNotAllowed, "Emergency access is not allowed.",
                    "Emergency (BTG) access is only for a verified professional of the requesting (verified) facility.");
            if (detail.Hip is null || detail.CareContexts is not { Count: > 0 })
                throw ConsentErrors.Invalid(ConsentErrors.InvalidConsentRequest, "Emergency (BTG) access names the HIP and the care contexts.", "consent.hip.id");
        }

        var patient = await patients.FindNumberAsync(detail.Patient.Id, ct)
                      ?? throw new DomainException(ErrorKind.NotFound, ConsentErrors.PatientNotFound, "No patient has this ABHA address.", null,
                          new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.InvalidPatient, [ConsentErrors.Field] = "consent.patient.id" });
        if (detail.IsEmergency) await EnsureLinkedAsync(patient, EmergencyDecision(detail), ct, emergency: true);
        var actor = new ConsentActor(hiuPartnerId, "hiu");
        var signature = await signer.SignEventAsync(id, 1, ConsentStatus.Requested, now, [], ct);
        var record = ConsentRecord.Create(id, hiuPartnerId, patient, detail, now, now.AddHours(options.RequestLifetimeHours), actor, signature);
        if (!await TryCreateAsync(record, ct))
            return (await store.FindAsync(id, ct))!.Value; // a concurrent retry of the same init made it
        await audit.RecordAsync(record, "consent.request.create", actor, null, "created", ct);

        return record.IsEmergency ? await GrantEmergencyAsync(record, ct) : record;
    }

    /// <summary>
    /// The patient asks for their own records at a HIP (purpose PATRQT, HIU = <see cref="PlatformHiu"/>): the request is
    /// made and granted by the same act of the patient, both audited on the patient's chain. The care contexts must be
    /// linked to the patient at that HIP. Idempotent by <paramref name="requestId"/>.
    /// </summary>
    public async Task<ConsentRecord> CreateSelfRequestedAsync(PatientContext patient, string patientAddress, string requestId, GrantedHip hip,
        IReadOnlyList<string> hiTypes, DateRange dateRange, DateTimeOffset dataEraseAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(hip);
        var id = IdFor(PlatformHiu.PartnerId, requestId);
        var decision = new GrantDecision([hip], hiTypes, dateRange);
        if (await store.FindAsync(id, ct) is { } existing)
        {
            if (existing.Value.PatientNumber != patient.PatientNumber) throw ConsentErrors.RequestNotFound();
            return existing.Value.Status == ConsentStatus.Requested ? await GrantWithAsync(id, patient.PatientNumber, decision, patient.Actor, ct) : existing.Value;
        }

        await EnsureHipAsync(hip.HipId, "hipId", ct);
        await EnsureLinkedAsync(patient.PatientNumber, decision, ct);
        var now = time.GetUtcNow();
        var detail = new ConsentRequestDetail(new ConsentPurpose("Self Requested", ConsentCodes.PatientRequested, null), new IdReference(patientAddress),
            new IdReference(hip.HipId), hip.CareContexts, new IdReference(PlatformHiu.FacilityId), new Requester("self", null), hiTypes,
            new Permission("STORE", dateRange, dataEraseAt, new Frequency("HOUR", 1, 0)));
        var signature = await signer.SignEventAsync(id, 1, ConsentStatus.Requested, now, [], ct);
        var record = ConsentRecord.Create(id, PlatformHiu.PartnerId, patient.PatientNumber, detail, now, now.AddHours(options.RequestLifetimeHours),
            patient.Actor, signature);
        if (await TryCreateAsync(record, ct)) await audit.RecordAsync(record, "consent.request.create", patient.Actor, null, "created", ct);
        return await GrantWithAsync(id, patient.PatientNumber, decision, patient.Actor, ct);
    }

    private async Task<ConsentRecord> GrantEmergencyAsync(ConsentRecord record, CancellationToken ct)
    {
        await notifier.TellPatientOfEmergencyAsync(record, ct);
        return await GrantWithAsync(record.Id, null, EmergencyDecision(record.Detail), ConsentActor.System("emergency-access"), ct);
    }

    private static GrantDecision EmergencyDecision(ConsentRequestDetail detail) =>
        new([new GrantedHip(detail.Hip!.Id, detail.CareContexts!)], detail.HiTypes, detail.Permission.DateRange);

    public async Task<IReadOnlyList<ConsentRecord>> ListAsync(PatientContext patient, ConsentStatus? status, bool emergencyOnly, CancellationToken ct)
    {
        var records = await store.ListForPatientAsync(patient.PatientNumber, status, emergencyOnly, 100, ct);
        await audit.RecordListingAsync(patient.PatientNumber, emergencyOnly ? "consent.emergency.list" : "consent.list", patient.Actor, records.Count, ct);
        return records;
    }

    public async Task<ConsentRecord> GrantAsync(PatientContext patient, string consentRequestId, GrantInput? input, CancellationToken ct)
    {
        var current = await RequirePatientsAsync(patient, consentRequestId, ct);
        await SendUnnotifiedAsync(current.Value, ct);
        current.Value.EnsureAllowed(ConsentStatus.Granted);
        EnsureNotLapsed(current.Value);
        var decision = GrantDecision.Narrow(current.Value.Detail, input);
        foreach (var (hip, i) in decision.Hips.Select((h, i) => (h, i)))
            await EnsureHipAsync(hip.HipId, $"hips[{i}].id", ct);
        return await GrantWithAsync(consentRequestId, patient.PatientNumber, decision, patient.Actor, ct);
    }

    public async Task<ConsentRecord> DenyAsync(PatientContext patient, string consentRequestId, string? reason, CancellationToken ct)
    {
        await SendUnnotifiedAsync((await RequirePatientsAsync(patient, consentRequestId, ct)).Value, ct);
        return await TransitionAsync(consentRequestId, patient.PatientNumber, ConsentStatus.Denied, patient.Actor, Limit(reason), null, ct);
    }

    /// <summary>Revokes the consent an artefact belongs to (all its artefacts: one grant, one revocation).</summary>
    public async Task<ConsentRecord> RevokeAsync(PatientContext patient, string artefactId, CancellationToken ct)
    {
        var found = await store.FindByArtefactAsync(artefactId, ct);
        if (found is null || found.Value.PatientNumber != patient.PatientNumber) throw ConsentErrors.ConsentMissing();
        await SendUnnotifiedAsync(found.Value, ct);
        return await TransitionAsync(found.Value.Id, patient.PatientNumber, ConsentStatus.Revoked, patient.Actor, null, artefactId, ct);
    }

    /// <summary>consent-requests/status: only the HIU that made the request sees it (others: not found).</summary>
    public async Task<ConsentRecord> StatusForHiuAsync(string hiuPartnerId, string consentRequestId, CancellationToken ct)
    {
        var found = await store.FindAsync(consentRequestId, ct);
        if (found is null || found.Value.HiuPartnerId != hiuPartnerId) throw ConsentErrors.RequestNotFound();
        await audit.RecordAsync(found.Value, "consent.request.status", new ConsentActor(hiuPartnerId, "hiu"), null, "read", ct);
        return found.Value;
    }

    /// <summary>
    /// consents/fetch: the artefact, for a party to it only (the HIU partner that asked, or a partner serving the
    /// artefact's HIP). Anyone else gets NOT_A_PARTY, the same answer as for an unknown id, and never the artefact.
    /// </summary>
    public async Task<(ConsentRecord Record, SignedArtefact Artefact)> FetchAsync(string partnerId, string artefactId, CancellationToken ct)
    {
        var found = await store.FindByArtefactAsync(artefactId, ct);
        var artefact = found?.Value.Artefact(artefactId);
        var partner = await partners.FindAsync(partnerId, ct);
        var isParty = found is not null && artefact is not null
                      && (found.Value.HiuPartnerId == partnerId || partner?.Facilities?.Contains(artefact.HipId) == true);
        if (!isParty)
            throw new DomainException(ErrorKind.NotFound, ConsentErrors.NotAParty, "No such consent artefact for this partner.", null,
                new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.ConsentNotFound });
        await audit.RecordAsync(found!.Value, "consent.artefact.fetch", new ConsentActor(partnerId, "partner"), artefactId, "read", ct);
        return (found.Value, artefact!);
    }

    /// <summary>The timer's work: every record due (request lifetime or grant end passed) becomes EXPIRED. Correct after a restart: it asks the store what is due.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken ct)
    {
        var expired = 0;
        foreach (var id in await store.ListDueAsync(time.GetUtcNow(), options.SweepBatch, ct))
        {
            try
            {
                await TransitionAsync(id, null, ConsentStatus.Expired, ConsentActor.System("consent-expiry"), "expired", null, ct,
                    guard: r => r.IsDue(time.GetUtcNow()) ? null : ConsentErrors.NotPending(r.Status));
                expired++;
            }
            catch (DomainException e) when (e.Code is ConsentErrors.ConsentNotPending or ConsentErrors.ConsentNotGranted or ConsentErrors.ConsentRequestNotFound)
            {
                // decided, revoked or expired meanwhile
            }
        }

        return expired;
    }

    /// <summary>A partner's on-notify: the acknowledgement is recorded when it answers a notification sent to that partner.</summary>
    public Task<bool> AcknowledgeAsync(string partnerId, string notificationRequestId, CancellationToken ct) =>
        notifier.AcknowledgeAsync(partnerId, notificationRequestId, ct);

    /// <summary>Re-sends notifications a crash left unsent (the notifier drops duplicates), then those no partner acknowledged in time.</summary>
    public async Task<int> RenotifyAsync(CancellationToken ct)
    {
        var sent = 0;
        foreach (var id in await store.ListUnnotifiedAsync(time.GetUtcNow() - options.RenotifyAfter, options.SweepBatch, ct))
        {
            if (await store.FindAsync(id, ct) is not { } found) continue;
            foreach (var pending in found.Value.Events.Where(e => !e.Notified))
            {
                await NotifyAndMarkAsync(found.Value, pending, ct);
                sent++;
            }
        }

        return sent + await notifier.ResendUnacknowledgedAsync(ct);
    }

    private async Task<ConsentRecord> GrantWithAsync(string id, string? patientNumber, GrantDecision decision, ConsentActor actor, CancellationToken ct)
    {
        var seed = await store.FindAsync(id, ct) ?? throw ConsentErrors.RequestNotFound();
        var request = seed.Value;
        await EnsureLinkedAsync(request.PatientNumber, decision, ct);
        var now = time.GetUtcNow();
        var artefacts = new List<SignedArtefact>();
        foreach (var hip in decision.Hips)
        {
            artefacts.Add(await signer.SignAsync(new ConsentArtefactDetail(ConsentArtefactDetail.Version, Guid.NewGuid().ToString(), now,
                request.Detail.Patient, hip.CareContexts, request.Detail.Purpose, new IdReference(hip.HipId), request.Detail.Hiu,
                new IdReference(options.CmId), request.Detail.Requester, decision.HiTypes,
                request.Detail.Permission with { DateRange = decision.DateRange }), ct));
        }

        var until = request.Detail.Permission.DataEraseAt;
        if (request.IsEmergency && now + options.EmergencyLifetime < until) until = now + options.EmergencyLifetime;
        return await TransitionAsync(id, patientNumber, ConsentStatus.Granted, actor, null, null, ct, artefacts, until,
            guard: r => r.IsDue(time.GetUtcNow()) ? ConsentErrors.NotPending(ConsentStatus.Expired) : null);
    }

    /// <summary>Every granted care context is linked to the patient at its HIP; else CARE_CONTEXT_NOT_LINKED naming the first that is not (nothing changes).</summary>
    private async Task EnsureLinkedAsync(string patientNumber, GrantDecision decision, CancellationToken ct, bool emergency = false)
    {
        for (var i = 0; i < decision.Hips.Count; i++)
        {
            var hip = decision.Hips[i];
            var missing = await careContexts.NotLinkedAsync(patientNumber, hip.HipId, hip.CareContexts, ct);
            if (missing.Count == 0) continue;
            var index = hip.CareContexts.ToList().IndexOf(missing[0]);
            throw ConsentErrors.NotLinked(emergency ? $"consent.careContexts[{index}]" : $"hips[{i}].careContexts[{index}]", hip.HipId, missing[0]);
        }
    }

    private void EnsureNotLapsed(ConsentRecord record)
    {
        if (record.Status == ConsentStatus.Requested && record.IsDue(time.GetUtcNow())) throw ConsentErrors.NotPending(ConsentStatus.Expired);
    }

    /// <summary>
    /// Compare-and-swap: read, decide on what was read, replace If-Match; a lost race reads again and decides again
    /// (so a grant racing a revoke or an expiry ends in one state the state machine allows). Then notify.
    /// </summary>
    private async Task<ConsentRecord> TransitionAsync(string id, string? patientNumber, ConsentStatus to, ConsentActor actor, string? reason,
        string? artefactId, CancellationToken ct, IReadOnlyList<SignedArtefact>? artefacts = null, DateTimeOffset? grantedUntil = null,
        Func<ConsentRecord, DomainException?>? guard = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.FindAsync(id, ct);
            if (current is null || (patientNumber is not null && current.Value.PatientNumber != patientNumber)) throw ConsentErrors.RequestNotFound();
            var record = current.Value;
            record.EnsureAllowed(to);
            if (guard?.Invoke(record) is { } refused) throw refused;

            var now = time.GetUtcNow();
            var ids = (to == ConsentStatus.Granted ? artefacts! : record.Artefacts).Select(a => a.Id).ToList();
            var signature = await signer.SignEventAsync(id, record.NextSeq, to, now, ids, ct);
            var next = record.Apply(to, now, actor, reason, signature, artefacts, grantedUntil);
            try
            {
                await store.ReplaceAsync(next, current.ETag, ct);
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt < MaxAttempts)
            {
                continue;
            }

            var action = "consent." + ConsentStatuses.Name(to).ToLowerInvariant();
            await audit.RecordAsync(next, action, actor, artefactId, ConsentStatuses.Name(to), ct);
            await NotifyAndMarkAsync(next, next.Events[^1], ct);
            return next;
        }
    }

    /// <summary>
    /// A decision retried after the first attempt changed the state but could not hand over its notifications (a queue
    /// outage answered 503 after the write): what that attempt left unsent goes now, so the HIU and the HIPs hear of it
    /// with the patient's retry instead of at the next sweep; the retry itself is then judged on the state as usual.
    /// </summary>
    private async Task SendUnnotifiedAsync(ConsentRecord record, CancellationToken ct)
    {
        foreach (var pending in record.Events.Where(e => !e.Notified).ToList())
            await NotifyAndMarkAsync(record, pending, ct);
    }

    private async Task NotifyAndMarkAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct)
    {
        // What rests on a grant ends with it before the event counts as handed over, so the sweep redoes it after a crash.
        if (transition.Status is ConsentStatus.Revoked or ConsentStatus.Expired && record.Artefacts.Count > 0)
            await dependents.ConsentEndedAsync(record, ct);
        await notifier.NotifyAsync(record, transition, ct);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await store.FindAsync(record.Id, ct) is not { } current) return;
            if (current.Value.Events.FirstOrDefault(e => e.Seq == transition.Seq) is not { Notified: false }) return;
            try
            {
                await store.ReplaceAsync(current.Value.MarkNotified(transition.Seq), current.ETag, ct);
                return;
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate)
            {
                // another change landed; mark on the newer version
            }
        }
    }

    private async Task<Versioned<ConsentRecord>> RequirePatientsAsync(PatientContext patient, string id, CancellationToken ct)
    {
        var found = await store.FindAsync(id, ct);
        return found is not null && found.Value.PatientNumber == patient.PatientNumber ? found : throw ConsentErrors.RequestNotFound();
    }

    private async Task<bool> TryCreateAsync(ConsentRecord record, CancellationToken ct)
    {
        try
        {
            await store.CreateAsync(record, ct);
            return true;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.Conflict)
        {
            return false;
        }
    }

    /// <summary>The HIU is one of the caller's facilities and verified now (HIU_NOT_SERVED / HIU_NOT_VERIFIED naming <paramref name="field"/>).</summary>
    internal async Task EnsureHiuAsync(string partnerId, string hiuId, CancellationToken ct, string field = "consent.hiu.id")
    {
        var partner = await partners.FindAsync(partnerId, ct);
        if (partner?.Facilities is not { } served || !served.Contains(hiuId))
            throw new DomainException(ErrorKind.Forbidden, ConsentErrors.HiuNotServed, "The HIU is not one of the caller's facilities.",
                $"Facility {hiuId} is not among the facilities this partner was registered to serve.",
                new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.InvalidHiu, [ConsentErrors.Field] = field });
        try
        {
            await facilities.EnsureVerifiedHipAsync(FacilityId.Parse(hiuId), ct);
        }
        catch (DomainException e) when (e.Code is RegistryErrors.FacilityNotFound or RegistryErrors.FacilityNotVerified or RegistryErrors.FacilityInactive)
        {
            throw new DomainException(ErrorKind.Forbidden, ConsentErrors.HiuNotVerified, "The HIU is not a verified facility.",
                $"Facility {hiuId} is not a verified, active facility now.",
                new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.InvalidHiu, [ConsentErrors.Field] = field });
        }
    }

    internal async Task EnsureHipAsync(string hipId, string field, CancellationToken ct)
    {
        try
        {
            await facilities.EnsureVerifiedHipAsync(FacilityId.Parse(hipId), ct);
        }
        catch (DomainException e) when (e.Code is RegistryErrors.FacilityNotFound or RegistryErrors.FacilityNotVerified or RegistryErrors.FacilityInactive)
        {
            throw ConsentErrors.Invalid(ConsentErrors.InvalidHip, $"{hipId} is not a verified HIP.", field, ConsentErrors.Abdm.InvalidHip);
        }
    }

    private async Task<Professional> EnsureRequesterAsync(Requester requester, CancellationToken ct)
    {
        try
        {
            return await professionals.EnsureVerifiedPractitionerAsync(HprId.Parse(requester.Identifier!.Value), ct);
        }
        catch (DomainException e) when (e.Code is RegistryErrors.ProfessionalNotFound or RegistryErrors.ProfessionalNotVerified or RegistryErrors.ProfessionalInactive)
        {
            throw new DomainException(ErrorKind.Forbidden, ConsentErrors.RequesterNotVerified, "The requester is not a verified professional.",
                "requester.identifier.value must name a verified, active professional (HPR).",
                new Dictionary<string, object?> { [ConsentErrors.AbdmCode] = ConsentErrors.Abdm.Unauthorized, [ConsentErrors.Field] = "consent.requester.identifier.value" });
        }
    }

    private static string? Limit(string? reason) => reason is { Length: > 256 } ? reason[..256] : reason;
}
