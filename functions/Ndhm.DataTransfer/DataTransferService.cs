using System.Security.Cryptography;
using System.Text;
using Ndhm.Audit;
using Ndhm.Consent;
using Ndhm.Core.Abdm;
using Ndhm.Core.Errors;

namespace Ndhm.DataTransfer;

/// <summary>
/// What one transfer's orchestration needs to start waiting: the HIPs asked, the two deadlines, and the HIPs whose care
/// contexts the platform holds itself and serves as the HIP (<c>PlatformHipService</c>; null in plans made before it).
/// </summary>
public sealed record TransferPlan(IReadOnlyList<string> HipIds, DateTime PushDeadline, DateTime TransferDeadline, TimeSpan ConsentCheckInterval,
    IReadOnlyList<string>? PlatformServedHipIds = null);

/// <summary>Who reads a transaction: its HIU partner, its patient, or a platform admin.</summary>
public sealed record TransferReader(string Subject, string Kind, string? PartnerId = null, string? PatientNumber = null)
{
    public static TransferReader Hiu(string partnerId) => new(partnerId, "hiu", PartnerId: partnerId);

    public static TransferReader Patient(string subject, string patientNumber) => new(subject, "patient", PatientNumber: patientNumber);

    public static TransferReader Admin(string subject) => new(subject, "admin");
}

/// <summary>
/// The health-information exchange's application service: the HIU's request (checked against the consent), the
/// HIPs' acknowledgements and notifications, the orchestration's steps, and the status views. Every change is a
/// compare-and-swap of the transaction; every step is idempotent (ids derive from the transaction), so a retried
/// activity or a replay after a host restart does nothing twice.
/// </summary>
public sealed class DataTransferService(
    ITransferStore store,
    IConsentStore consents,
    ITransferMessenger messenger,
    ITransferPatientNotifier patientNotifier,
    ITransferPartners partners,
    PlatformHip.IPlatformHeldCareContexts platformHeld,
    IAuditTrail audit,
    ICurrentAuditActor currentActor,
    DataTransferOptions options,
    TimeProvider time)
{
    private const int MaxAttempts = 8;
    public const string Resource = "hi-transaction";

    /// <summary>A transaction's id derives from the HIU and its REQUEST-ID, so a retried cm/request finds the one it made.</summary>
    public static string TransactionIdFor(string hiuPartnerId, string requestId) => DerivedId("hi-transaction:" + hiuPartnerId + ":" + requestId);

    /// <summary>A UUID (version 5 layout) from SHA-256 of <paramref name="seed"/>: the same seed, the same id.</summary>
    public static string DerivedId(string seed) => Ndhm.Core.Ids.DerivedIds.From(seed);

    /// <summary>health-information/cm/request: every check of <see cref="HiRequestChecks"/>, the frequency, then the transaction (REQUESTED).</summary>
    public async Task<HiTransaction> RequestAsync(string hiuPartnerId, string requestId, HiRequestInput? input, CancellationToken ct)
    {
        var valid = HiRequestChecks.Shape(input);
        var id = TransactionIdFor(hiuPartnerId, requestId);
        if (await store.FindAsync(id, ct) is { } existing) return existing.Value;
        var now = time.GetUtcNow();
        HiRequestChecks.KeyMaterial(valid.KeyMaterial, time, options.KeyClockSkew);
        var record = (await consents.FindByArtefactAsync(valid.ArtefactId, ct))?.Value;
        // A HIU whose request was denied (or is still pending) holds only the consent request's id: say it is not granted (ABDM-1062).
        if (record is null && (await consents.FindAsync(valid.ArtefactId, ct))?.Value is { } asked && asked.HiuPartnerId == hiuPartnerId
            && asked.Status != ConsentStatus.Granted)
            throw DataTransferErrors.NotGranted(ConsentStatuses.Name(asked.Status));
        var artefact = HiRequestChecks.Consent(record, valid.ArtefactId, hiuPartnerId, valid.DateRange, now);
        // Care contexts the platform linked itself (records its care providers wrote) are served by the platform; only
        // the others need the facility's HIP partner.
        var held = await platformHeld.HeldAsync(record!.PatientNumber, artefact.HipId,
            artefact.Detail.CareContexts.Select(c => c.CareContextReference).ToList(), ct);
        var partnerHeld = artefact.Detail.CareContexts.Any(c => !held.Contains(c.CareContextReference));
        var partner = await partners.PartnerForHipAsync(artefact.HipId, ct);
        if (partner is null && partnerHeld)
            throw AbdmErrors.Error(ErrorKind.Conflict, AbdmErrors.HipUnavailable, "HIP_NOT_SERVED", "No partner serves the consent's HIP.");
        await ReserveAsync(artefact, id, now, ct);
        var transaction = new HiTransaction
        {
            Id = id,
            HiuPartnerId = hiuPartnerId,
            HiuId = artefact.Detail.Hiu.Id,
            RequestId = requestId,
            PatientNumber = record.PatientNumber,
            PatientAddress = artefact.Detail.Patient.Id,
            ConsentRequestId = record.Id,
            ConsentArtefactId = artefact.Id,
            PurposeCode = artefact.Detail.Purpose.Code,
            DateRange = valid.DateRange,
            DataPushUrl = valid.DataPushUrl,
            KeyMaterialJson = valid.KeyMaterial.ToJson(),
            DataEraseAt = artefact.Detail.Permission.DataEraseAt,
            CreatedAt = now,
            Status = TransferStatus.Requested,
            Hips = [new HipTransfer(artefact.HipId, artefact.Id, partner ?? PlatformHipPartner.Id, PartnerAsked: partner is not null && partnerHeld)],
            CareContexts = artefact.Detail.CareContexts
                .Select(c => new CareContextTransfer(artefact.HipId, c.PatientReference, c.CareContextReference, artefact.Detail.HiTypes, CareContextStatus.Pending,
                    PlatformHeld: held.Contains(c.CareContextReference)))
                .ToList(),
        };
        if (!await store.TryCreateAsync(transaction, ct)) return (await store.FindAsync(id, ct))!.Value;
        await AuditAsync(transaction, "hi.transfer.request", new AuditActor(hiuPartnerId, ["hiu"]), "requested", ct);
        return transaction;
    }

    /// <summary>
    /// The orchestration's first step: hip/request to every HIP whose partner holds care contexts of the transaction (one
    /// delivery each however often this runs), and the deadlines. HIPs the platform serves are named in the plan.
    /// </summary>
    public async Task<TransferPlan> StartAsync(string transactionId, CancellationToken ct)
    {
        var transaction = (await store.FindAsync(transactionId, ct) ?? throw DataTransferErrors.TransactionMissing()).Value;
        if (!transaction.IsClosed)
        {
            foreach (var hip in transaction.Hips.Where(h => h.PartnerAsked))
            {
                await messenger.SendHipRequestAsync(transaction, hip, DerivedId($"hip-request:{transaction.Id}:{hip.HipId}"), ct);
            }
        }

        var transferDeadline = transaction.CreatedAt + options.TransferLifetime;
        var push = transaction.CreatedAt + options.HipPushWindow;
        return new TransferPlan(transaction.Hips.Select(h => h.HipId).ToList(), (push < transferDeadline ? push : transferDeadline).UtcDateTime,
            transferDeadline.UtcDateTime, options.ConsentCheckInterval, transaction.PlatformServedHips());
    }

    /// <summary>Null while the consent allows the transfer; else why it stopped (<c>CONSENT_REVOKED</c>, <c>CONSENT_EXPIRED</c>...).</summary>
    public async Task<string?> ConsentStopReasonAsync(string transactionId, CancellationToken ct)
    {
        var transaction = (await store.FindAsync(transactionId, ct) ?? throw DataTransferErrors.TransactionMissing()).Value;
        var record = (await consents.FindAsync(transaction.ConsentRequestId, ct))?.Value;
        if (record is null) return DataTransferErrors.ConsentNotFound;
        return record.Status switch
        {
            ConsentStatus.Revoked => DataTransferErrors.ConsentRevoked,
            ConsentStatus.Expired => DataTransferErrors.ConsentExpired,
            ConsentStatus.Granted when record.GrantedUntil is { } until && until <= time.GetUtcNow() => DataTransferErrors.ConsentExpired,
            ConsentStatus.Granted => null,
            _ => DataTransferErrors.ConsentNotGranted,
        };
    }

    /// <summary>
    /// hip/on-request from a partner serving a HIP of the transaction: ACKNOWLEDGED is recorded; an error ERRORs that
    /// HIP's care contexts (HIP_REFUSED). Returns the HIPs now finished (the orchestration is told of each).
    /// </summary>
    public async Task<IReadOnlyList<string>> AcknowledgeAsync(string partnerId, string? hipIdHeader, string transactionId, AbdmError? error, CancellationToken ct)
    {
        var hips = await HipsOfCallerAsync(partnerId, hipIdHeader, transactionId, ct);
        var at = time.GetUtcNow();
        var updated = await UpdateAsync(transactionId, t => hips.Aggregate(t, (acc, hip) =>
        {
            var acked = acc.WithHip(hip, h => h with { Acknowledged = error is null, ErrorCode = error?.Code });
            return error is null ? acked : acked.WithPendingErrored(hip, DataTransferErrors.HipRefused, $"{error.Code}: {error.Message}", at, partnerHeldOnly: true);
        }), ct);
        return hips.Where(updated.HipIsDone).ToList();
    }

    /// <summary>
    /// health-information/notify. From a HIP (notifier HIP): its care contexts' DELIVERED / ERRORED, final for that HIP;
    /// returns that HIP when it is finished. From the HIU (notifier HIU): its receipt (OK / ERRORED) recorded beside it.
    /// </summary>
    public async Task<IReadOnlyList<string>> NotifyAsync(string partnerId, bool callerIsHip, HiNotification? notification, CancellationToken ct)
    {
        if (notification is null) throw DataTransferErrors.Invalid("notification is required.", "notification");
        if (!Guid.TryParse(notification.TransactionId, out var tx)) throw DataTransferErrors.Invalid("notification.transactionId must be a UUID.", "notification.transactionId");
        var status = notification.StatusNotification ?? throw DataTransferErrors.Invalid("notification.statusNotification is required.", "notification.statusNotification");
        var type = notification.Notifier?.Type?.Trim().ToUpperInvariant();
        var responses = (status.StatusResponses ?? []).Where(s => s is not null).Select(s => s!).ToList();
        if (responses.Any(r => string.IsNullOrWhiteSpace(r.CareContextReference) || r.HiStatus is not ("DELIVERED" or "OK" or "ERRORED")))
            throw DataTransferErrors.Invalid("Each statusResponses item needs careContextReference and hiStatus DELIVERED, OK or ERRORED.",
                "notification.statusNotification.statusResponses");
        if (type == "HIU" || (type is null && !callerIsHip))
        {
            var found = await store.FindAsync(tx.ToString(), ct);
            if (found is null || found.Value.HiuPartnerId != partnerId) throw DataTransferErrors.TransactionMissing();
            await UpdateAsync(found.Value.Id, t => t.WithHiuReport(responses.ToDictionary(r => r.CareContextReference!, r => r.HiStatus != "ERRORED")), ct,
                allowClosed: true);
            return [];
        }

        var hipId = status.HipId?.Trim();
        if (string.IsNullOrEmpty(hipId)) throw DataTransferErrors.Invalid("statusNotification.hipId is required.", "notification.statusNotification.hipId");
        var hips = await HipsOfCallerAsync(partnerId, hipId, tx.ToString(), ct);
        var failed = string.Equals(status.SessionStatus, "FAILED", StringComparison.OrdinalIgnoreCase);
        var at = time.GetUtcNow();
        var reports = responses.GroupBy(r => r.CareContextReference!).ToDictionary(g => g.Key,
            g => (Delivered: !failed && g.Last().HiStatus == "DELIVERED", g.Last().Description));
        var updated = await UpdateAsync(tx.ToString(), t => t.WithHipReport(hips[0], reports, at), ct);
        return updated.HipIsDone(hips[0]) ? [hips[0]] : [];
    }

    /// <summary>
    /// The platform's own report as the HIP of the care contexts it holds at <paramref name="hipId"/> (the effect of a HIP's
    /// hip/on-request ACKNOWLEDGED and health-information/notify): each of those still pending takes its status. Returns
    /// the HIP when it is now finished (the orchestration stops waiting for it).
    /// </summary>
    public async Task<IReadOnlyList<string>> RecordPlatformReportAsync(string transactionId, string hipId,
        IReadOnlyDictionary<string, (bool Delivered, string? Description)> statuses, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var updated = await UpdateAsync(transactionId,
            t => t.WithHip(hipId, h => h.PartnerAsked ? h : h with { Acknowledged = true }).WithHipReport(hipId, statuses, at, fromPlatform: true), ct);
        var outcome = string.Join(", ", updated.CareContexts.Where(c => c.HipId == hipId && c.PlatformHeld)
            .Select(c => c.CareContextReference + " " + TransferStatuses.Name(c.Status)));
        await AuditAsync(updated, "hi.transfer.platform-hip", new AuditActor(PlatformHipActor, ["system"]), outcome, ct);
        return updated.HipIsDone(hipId) ? [hipId] : [];
    }

    /// <summary>Who acts when the platform serves the care contexts it holds (the platform as HIP, on behalf of the consent).</summary>
    public const string PlatformHipActor = "system:platform-hip";

    /// <summary>The transaction as stored (for the orchestration's activities; no access check).</summary>
    public async Task<HiTransaction> FindAsync(string transactionId, CancellationToken ct) =>
        (await store.FindAsync(transactionId, ct) ?? throw DataTransferErrors.TransactionMissing()).Value;

    /// <summary>Every still-pending care context ERRORED: the HIPs were silent past the window (ABDM-1402), or the consent stopped it.</summary>
    public async Task ErrorPendingAsync(string transactionId, string reason, CancellationToken ct)
    {
        var (code, description) = reason switch
        {
            DataTransferErrors.HipNoPush => (AbdmErrors.NoAcknowledgement, "The HIP did not push and notify within the push window."),
            DataTransferErrors.TransferTimedOut => (AbdmErrors.NoAcknowledgement, "The transfer did not complete within its lifetime."),
            _ => (reason, "The transfer stopped: " + reason + "."),
        };
        await UpdateAsync(transactionId, t => t.WithPendingErrored(null, code, description, time.GetUtcNow()), ct);
    }

    /// <summary>
    /// Closes the transaction (TRANSFERRED, PARTIAL or FAILED), tells the HIU of each HIP's outcome and then the patient
    /// of the whole, each once: a flag per message is set after it is handed over, so a retried close resends only what
    /// a crash interrupted. The platform's own pulls tell the patient through their messenger instead (one text, not two).
    /// </summary>
    public async Task<string> CloseAsync(string transactionId, string? stoppedBecause, CancellationToken ct)
    {
        var closed = await UpdateAsync(transactionId, t => t.Close(time.GetUtcNow(), stoppedBecause), ct, allowClosed: true);
        foreach (var hip in closed.Hips.Where(h => !h.Notified))
        {
            await messenger.TellHiuAsync(closed, hip, DerivedId($"hiu-notify:{closed.Id}:{hip.HipId}"), ct);
            closed = await UpdateAsync(transactionId, t => t.WithHip(hip.HipId, h => h with { Notified = true }), ct, allowClosed: true);
        }

        if (!closed.PatientTold && closed.HiuPartnerId != PlatformHiu.PartnerId)
        {
            await patientNotifier.TellClosedAsync(closed.PatientNumber, ClosedNotice(closed), ct);
            closed = await UpdateAsync(transactionId, t => t with { PatientTold = true }, ct, allowClosed: true);
        }

        await AuditAsync(closed, "hi.transfer.close", new AuditActor("system:data-transfer", ["system"]), TransferStatuses.Name(closed.Status), ct);
        return TransferStatuses.Name(closed.Status);
    }

    private static TransferClosedNotice ClosedNotice(HiTransaction closed) =>
        new(closed.Id, closed.HiuId, closed.PurposeCode, closed.ConsentRequestId, TransferStatuses.Name(closed.Status),
            closed.CareContexts.Count(c => c.Status == CareContextStatus.Delivered), closed.CareContexts.Count,
            closed.CareContexts.Select(c => c.HipId).Distinct(StringComparer.Ordinal).ToList());

    /// <summary>The transaction for its HIU, its patient or an admin; anyone else gets 404, as for an unknown id.</summary>
    public async Task<HiTransaction> ViewAsync(string transactionId, TransferReader reader, CancellationToken ct)
    {
        var found = Guid.TryParse(transactionId, out var id) ? await store.FindAsync(id.ToString(), ct) : null;
        var transaction = found?.Value;
        var mayRead = transaction is not null && reader.Kind switch
        {
            "hiu" => transaction.HiuPartnerId == reader.PartnerId,
            "patient" => transaction.PatientNumber == reader.PatientNumber,
            "admin" => true,
            _ => false,
        };
        if (!mayRead) throw DataTransferErrors.TransactionMissing();
        await AuditAsync(transaction!, "hi.transfer.read", new AuditActor(reader.Subject, [reader.Kind]), "read", ct);
        return transaction!;
    }

    private async Task<List<string>> HipsOfCallerAsync(string partnerId, string? hipId, string transactionId, CancellationToken ct)
    {
        var transaction = (Guid.TryParse(transactionId, out var id) ? await store.FindAsync(id.ToString(), ct) : null)?.Value
                          ?? throw DataTransferErrors.TransactionMissing();
        var hips = new List<string>();
        foreach (var hip in transaction.Hips.Where(h => hipId is null || h.HipId == hipId))
        {
            if (await partners.ServesAsync(partnerId, hip.HipId, ct)) hips.Add(hip.HipId);
        }

        // Not a HIP of this transaction reads the same as no such transaction: ids are not probed this way.
        if (hips.Count == 0) throw DataTransferErrors.TransactionMissing();
        if (transaction.IsClosed) throw DataTransferErrors.Closed(transaction.Status);
        return hips;
    }

    private async Task ReserveAsync(SignedArtefact artefact, string transactionId, DateTimeOffset now, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var usage = await store.FindUsageAsync(artefact.Id, ct);
            var next = HiRequestChecks.Frequency(usage?.Value, artefact.Id, artefact.Detail.Permission.Frequency, transactionId, now);
            if (await store.TrySaveUsageAsync(next, usage?.ETag, ct)) return;
            if (attempt >= MaxAttempts)
                throw new DomainException(ErrorKind.Conflict, ErrorCodes.ConcurrentUpdate, "The consent's usage changed meanwhile; try again.");
        }
    }

    private async Task<HiTransaction> UpdateAsync(string transactionId, Func<HiTransaction, HiTransaction> change, CancellationToken ct, bool allowClosed = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.FindAsync(transactionId, ct) ?? throw DataTransferErrors.TransactionMissing();
            if (current.Value.IsClosed && !allowClosed) throw DataTransferErrors.Closed(current.Value.Status);
            var next = change(current.Value);
            if (next == current.Value) return next;
            try
            {
                await store.ReplaceAsync(next, current.ETag, ct);
                return next;
            }
            catch (DomainException e) when (e.Code == ErrorCodes.ConcurrentUpdate && attempt < MaxAttempts)
            {
                // another step changed it first: read again and re-decide
            }
        }
    }

    private async Task AuditAsync(HiTransaction transaction, string action, AuditActor fallback, string outcome, CancellationToken ct) =>
        await audit.RecordAsync(new AuditEvent(AuditChainKey.Patient(transaction.PatientNumber), currentActor.Current ?? fallback, action,
            new AuditResource(Resource, transaction.Id), Purpose: transaction.PurposeCode, ConsentId: transaction.ConsentArtefactId, Outcome: outcome), ct);
}
