using System.Security.Cryptography;
using System.Text;
using Ndhm.Core.Abdm;
using Ndhm.Core.Security;
using Ndhm.HealthId.Accounts;
using Ndhm.HealthId.Identity;
using Ndhm.HealthId.Numbers;
using Ndhm.HealthId.Verification;

namespace Ndhm.HealthId.PartnerAuth;

/// <summary>
/// ABDM's DIRECT authentication: a partner's <c>users/auth/init</c> with <c>authMode: DIRECT</c> opens a transaction the
/// patient sees in their app (<see cref="ListPendingAsync"/>); the patient approves or denies (<see cref="DecideAsync"/>),
/// and the partner is told through <c>users/auth/notify</c> (GRANTED with the access token and/or demographics as for
/// users/auth/confirm, or DENIED), which it acknowledges with <c>users/auth/on-notify</c> (<see cref="AcknowledgeAsync"/>).
/// A transaction is answered once (If-Match); the same answer again re-sends the same notification (same requestId, so
/// one delivery), the other answer is a conflict. Another patient's transaction is "not found". Every step is on the
/// patient's audit chain.
/// </summary>
public sealed class DirectAuthService(
    IPartnerAuthTransactionStore transactions,
    PartnerAuthTokens tokens,
    AbhaAccountLookup lookup,
    IIdentityHasher hasher,
    IDirectAuthNotifier notifier,
    IHealthIdAuditLog audit,
    TimeProvider time)
{
    public const string ListAction = "partner-auth.direct.list";
    public const string ApproveAction = "partner-auth.direct.approve";
    public const string DenyAction = "partner-auth.direct.deny";
    public const string AcknowledgeAction = "partner-auth.direct.on-notify";
    public const string NotifyPath = "/v0.5/users/auth/notify";

    /// <summary>How many of a patient's DIRECT transactions one listing reads (pending ones live minutes; this is plenty).</summary>
    public const int ListLimit = 50;

    /// <summary>The key a DIRECT transaction is listed by: a keyed hash of the ABHA number, never the number itself.</summary>
    public static ValueTask<string> PatientKeyAsync(IIdentityHasher hasher, AbhaNumber number, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(number);
        return hasher.HashAbhaIdentifierAsync("direct-auth:" + number.Digits, ct);
    }

    /// <summary>The requestId of the users/auth/notify for a transaction: a UUID derived from it, so a re-send is the same delivery.</summary>
    public static string NotificationRequestId(string transactionId) => Ndhm.Core.Ids.DerivedIds.From("users-auth-notify\n" + transactionId);

    /// <summary>The patient's DIRECT requests still waiting for an answer (unexpired), newest first.</summary>
    public async Task<IReadOnlyList<PendingAuthRequest>> ListPendingAsync(AbhaNumber patient, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var key = await PatientKeyAsync(hasher, patient, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var pending = (await transactions.ListDirectAsync(key, ListLimit, ct).ConfigureAwait(false))
            .Where(t => t.Mode == AuthMode.Direct && t.Status == PartnerAuthStatus.Pending && t.ExpiresAt > now && t.AbhaNumber == patient)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new PendingAuthRequest(t.TransactionId, t.RequesterType, t.RequesterId, t.PartnerId, t.Purpose, t.PatientId, t.CreatedAt, t.ExpiresAt))
            .ToList();
        await audit.RecordAsync(ListAction, patient.Digits, [Roles.Patient], patient.Digits, pending.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            null, ct).ConfigureAwait(false);
        return pending;
    }

    /// <summary>
    /// The patient approves (<paramref name="approve"/>) or denies a DIRECT request of theirs. Approval issues what
    /// users/auth/confirm would (token for LINK purposes, demographics for KYC purposes); either way the partner is told.
    /// </summary>
    public async Task<DirectAuthDecision> DecideAsync(AbhaNumber patient, string transactionId, bool approve, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var action = approve ? ApproveAction : DenyAction;
        var stored = Guid.TryParse(transactionId, out var parsed) ? await transactions.FindAsync(parsed.ToString(), ct).ConfigureAwait(false) : null;
        if (stored is null || stored.Value.Mode != AuthMode.Direct || stored.Value.AbhaNumber != patient)
        {
            await RecordAsync(action, patient, "NOT_FOUND", transactionId, ct).ConfigureAwait(false);
            throw PartnerAuthErrors.TransactionNotFound();
        }

        var txn = stored.Value;
        var wanted = approve ? PartnerAuthStatus.Authenticated : PartnerAuthStatus.Denied;
        var requestId = NotificationRequestId(txn.TransactionId);
        if (txn.Status == wanted)
        {
            // The same answer again (a retry after a lost response or a crash before the notification went out): the
            // notification is sent again under the same requestId, which the callback machinery delivers once.
            await NotifyAsync(txn, approve, requestId, ct).ConfigureAwait(false);
            await RecordAsync(action, patient, "REPLAY", txn.TransactionId, ct).ConfigureAwait(false);
            return new DirectAuthDecision(txn.TransactionId, approve ? DirectAuthStatus.Granted : DirectAuthStatus.Denied, requestId);
        }

        if (txn.Status != PartnerAuthStatus.Pending)
        {
            await RecordAsync(action, patient, "ALREADY_DECIDED", txn.TransactionId, ct).ConfigureAwait(false);
            throw PartnerAuthErrors.Decided(txn.Status);
        }

        if (time.GetUtcNow() >= txn.ExpiresAt)
        {
            await RecordAsync(action, patient, "EXPIRED", txn.TransactionId, ct).ConfigureAwait(false);
            throw PartnerAuthErrors.TransactionExpired();
        }

        // If-Match: of an approve racing a deny only one is recorded and told (the other gets CONCURRENT_UPDATE).
        var decided = txn with { Status = wanted };
        await transactions.ReplaceAsync(decided, stored.ETag, ct).ConfigureAwait(false);
        await RecordAsync(action, patient, approve ? "GRANTED" : "DENIED", txn.TransactionId, ct).ConfigureAwait(false);
        await NotifyAsync(decided, approve, requestId, ct).ConfigureAwait(false);
        return new DirectAuthDecision(txn.TransactionId, approve ? DirectAuthStatus.Granted : DirectAuthStatus.Denied, requestId);
    }

    /// <summary>
    /// users/auth/on-notify: marks notification <paramref name="requestId"/> acknowledged when it was sent to
    /// <paramref name="partnerId"/> (again: still true); NOT_FOUND for another partner's or an unknown one.
    /// </summary>
    public async Task AcknowledgeAsync(string partnerId, string requestId, bool ok, string? onNotifyRequestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(partnerId);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var found = Guid.TryParse(requestId, out var parsed) ? await transactions.FindNoticeAsync(parsed.ToString(), ct).ConfigureAwait(false) : null;
            if (found is null || found.Value.PartnerId != partnerId)
            {
                await audit.RecordAsync(AcknowledgeAction, partnerId, ["PARTNER"], "unknown", "NOT_FOUND", onNotifyRequestId, ct).ConfigureAwait(false);
                throw PartnerAuthErrors.NotificationNotFound();
            }

            var notice = found.Value;
            if (notice.AcknowledgedAt is not null) return;
            if (!await transactions.TryReplaceNoticeAsync(notice with { AcknowledgedAt = time.GetUtcNow(), HandedOverAt = notice.HandedOverAt ?? time.GetUtcNow() }, found.ETag, ct).ConfigureAwait(false)) continue;
            var subject = (await transactions.FindAsync(notice.TransactionId, ct).ConfigureAwait(false))?.Value.AbhaNumber.Digits ?? "unknown";
            await audit.RecordAsync(AcknowledgeAction, partnerId, ["PARTNER"], subject, ok ? "ACKNOWLEDGED" : "ERROR", onNotifyRequestId, ct)
                .ConfigureAwait(false);
            return;
        }
    }

    /// <summary>
    /// Records the notice, hands the notification to the callback machinery, then marks the notice handed over. A repeat
    /// (the same answer again) finds it handed over and sends nothing: the machinery delivers at least once, and a second
    /// enqueue while the first delivery is in flight could deliver twice. A crash before the mark re-sends on the repeat
    /// under the same requestId, which the partner recognises.
    /// </summary>
    private async Task NotifyAsync(PartnerAuthTransaction txn, bool approve, string requestId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = PartnerAuthNotice.DocumentId(requestId);
        await transactions.TryCreateNoticeAsync(new PartnerAuthNotice(id, id, requestId, txn.TransactionId, txn.PartnerId, approve ? "GRANTED" : "DENIED", now,
            null, (int)TimeSpan.FromDays(2).TotalSeconds), ct).ConfigureAwait(false);
        if (await transactions.FindNoticeAsync(requestId, ct).ConfigureAwait(false) is not { } notice || notice.Value.HandedOverAt is not null) return;

        var notification = new DirectAuthNotification(txn.TransactionId, DirectAuthStatus.Denied);
        if (approve)
        {
            var token = txn.Purpose.GrantsAccessToken() ? await tokens.IssueAsync(txn, ct).ConfigureAwait(false) : null;
            PatientDemographics? patient = null;
            if (txn.Purpose.SharesDemographics()
                && (await lookup.FindAsync(txn.AbhaNumber, ct).ConfigureAwait(false))?.Value is { Status: AbhaStatus.Active } account)
                patient = PartnerAuthService.Demographics(account, txn.PatientId);
            notification = new DirectAuthNotification(txn.TransactionId, DirectAuthStatus.Granted, token?.Token,
                token is null ? null : new AuthTokenValidity(txn.Purpose, new AuthValidityRequester(txn.RequesterType, txn.RequesterId), AbdmTimestamp.Of(token.ExpiresAt), 1),
                patient);
        }

        await notifier.NotifyAsync(txn, requestId, notification, ct).ConfigureAwait(false);
        // Lost race with the partner's on-notify (it changed the notice): it was handed over, or the partner could not have answered it.
        await transactions.TryReplaceNoticeAsync(notice.Value with { HandedOverAt = time.GetUtcNow() }, notice.ETag, ct).ConfigureAwait(false);
    }

    private Task RecordAsync(string action, AbhaNumber patient, string outcome, string transactionId, CancellationToken ct) =>
        audit.RecordAsync(action, patient.Digits, [Roles.Patient], patient.Digits, outcome, transactionId, ct);
}
