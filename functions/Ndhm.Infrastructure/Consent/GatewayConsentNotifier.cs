using Ndhm.Core.Ids;
using System.Globalization;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Ndhm.Audit;
using Ndhm.Consent;
using Ndhm.Core.Json;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.Gateway.Abdm;
using Ndhm.Gateway.Callbacks;
using Ndhm.Infrastructure.Cosmos;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Consent notifications as ABDM sends them, through the gateway's callback machinery (recorded deliveries, retries,
/// dead letters, visible in the partner's <c>/api/v1/deliveries</c>): <c>/v0.5/consents/hiu/notify</c> to the HIU
/// partner and <c>/v0.5/consents/hip/notify</c> to every active HIP partner serving an artefact's HIP. The body's
/// <c>requestId</c> (the notification id) derives from the consent, the event and the target, so the same event sent
/// twice is one delivery; the partner's <c>on-notify</c> answers it with <c>resp.requestId</c> = that id, which marks
/// its <see cref="ConsentNoticeDocument"/> acknowledged. One not acknowledged within <c>Consent__AckTimeoutSeconds</c>
/// is sent again (a new delivery, same body) up to <see cref="ConsentOptions.MaxResends"/> times.
/// </summary>
public sealed class GatewayConsentNotifier(AbdmCallbacks abdm, ICallbackDispatcher callbacks, IFacilityPartners facilityPartners, IConsentStore store, CosmosClient client,
    CosmosSettings settings, IAuditTrail audit, ConsentOptions options, TimeProvider time, ILogger<GatewayConsentNotifier> logger) : IConsentNotifier
{
    public const string HiuNotifyPath = "/v0.5/consents/hiu/notify";
    public const string HipNotifyPath = "/v0.5/consents/hip/notify";

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task NotifyAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct)
    {
        foreach (var notice in await NoticesAsync(record, transition, ct))
        {
            var id = ConsentNoticeDocument.IdOf(notice.NotificationId);
            await CosmosDocuments.TryCreateAsync(Container, new ConsentNoticeDocument(id, id, ConsentNoticeDocument.Type, notice.NotificationId,
                notice.PartnerId, record.Id, transition.Seq, notice.Target, false, 0, time.GetUtcNow().ToUnixTimeSeconds(), null), id, ct);
            await SendAsync(record, transition, notice, null, await PredecessorAsync(record, transition, notice, ct), ct);
        }
    }

    /// <summary>
    /// The delivery this notice must follow: the latest send (first or resend) of the notice the same partner was sent
    /// about the same thing (the consent for a HIU, the artefact for a HIP) at the previous transition, so a partner
    /// is told GRANTED before REVOKED, never the other way round.
    /// </summary>
    private async Task<string?> PredecessorAsync(ConsentRecord record, ConsentEvent transition, Notice notice, CancellationToken ct)
    {
        var previous = record.Events.LastOrDefault(e => e.Seq < transition.Seq && Tells(e.Status, notice.Target));
        if (previous is null) return null;
        var previousId = NotificationId(record.Id, previous.Seq, TargetKey(notice));
        var path = notice.Target == "hiu" ? HiuNotifyPath : HipNotifyPath;
        var id = ConsentNoticeDocument.IdOf(previousId);
        var resends = (await CosmosDocuments.FindAsync<ConsentNoticeDocument>(Container, id, id, ct))?.Resends ?? 0;
        return CallbackDispatcher.DeliveryIdFor(notice.PartnerId, resends == 0 ? previousId : NoticeAcknowledgements.ResendKey(previousId, resends), path);
    }

    /// <summary>Whether a transition to <paramref name="status"/> is told to <paramref name="target"/> (HIPs hear of granted artefacts only).</summary>
    private static bool Tells(ConsentStatus status, string target) =>
        target == "hiu" ? status != ConsentStatus.Requested : status is ConsentStatus.Granted or ConsentStatus.Revoked or ConsentStatus.Expired;

    private static string TargetKey(Notice notice) =>
        notice.Target == "hiu" ? "hiu:" + notice.PartnerId : "hip:" + notice.PartnerId + ":" + notice.Target["hip:".Length..];

    public async Task<bool> AcknowledgeAsync(string partnerId, string notificationRequestId, CancellationToken ct)
    {
        if (!Guid.TryParse(notificationRequestId, out var parsed)) return false;
        return await NoticeAcknowledgements.AcknowledgeAsync<ConsentNoticeDocument>(Container, ConsentNoticeDocument.IdOf(parsed.ToString()),
            n => n.PartnerId == partnerId, n => n.Acknowledged, n => n with { Acknowledged = true, AcknowledgedAt = time.GetUtcNow().ToUnixTimeSeconds() }, ct);
    }

    public async Task<int> ResendUnacknowledgedAsync(CancellationToken ct)
    {
        var due = time.GetUtcNow().AddSeconds(-options.AckTimeoutSeconds).ToUnixTimeSeconds();
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.acknowledged = false AND c.resends < @max AND c.lastSentAt <= @due")
            .WithParameter("@take", options.SweepBatch).WithParameter("@type", ConsentNoticeDocument.Type)
            .WithParameter("@max", options.MaxResends).WithParameter("@due", due);
        var resent = 0;
        foreach (var notice in await CosmosDocuments.QueryAsync<ConsentNoticeDocument>(Container, query, options.SweepBatch, partitionKey: null, ct))
        {
            var updated = notice with { Resends = notice.Resends + 1, LastSentAt = time.GetUtcNow().ToUnixTimeSeconds() };
            if (!await NoticeAcknowledgements.TryClaimResendAsync(Container, notice, updated, notice.Id, notice.Pk, n => n.Acknowledged, n => n.Resends, ct))
                continue;
            if (await store.FindAsync(notice.ConsentRequestId, ct) is not { } found
                || found.Value.Events.FirstOrDefault(e => e.Seq == notice.Seq) is not { } transition) continue;
            // A newer state was told since: sending this one again would tell the partner a stale state after it.
            if (found.Value.Events.Any(e => e.Seq > notice.Seq && Tells(e.Status, notice.Target))) continue;
            var target = new Notice(notice.NotificationId, notice.PartnerId, notice.Target);
            await SendAsync(found.Value, transition, target, NoticeAcknowledgements.ResendKey(notice.NotificationId, updated.Resends), null, ct);
            logger.LogWarning("Consent notification {NotificationId} to {Partner} unacknowledged; sent again ({Resends})", notice.NotificationId,
                notice.PartnerId, updated.Resends);
            resent++;
        }

        return resent;
    }

    /// <summary>
    /// The patient is told on their audit trail (what <c>GET /api/v1/patients/me/audit-trail</c> shows) and the emergency
    /// listing at once. No SMS or push channel for patients exists on the platform yet; that is where one plugs in.
    /// </summary>
    public async Task TellPatientOfEmergencyAsync(ConsentRecord record, CancellationToken ct)
    {
        await audit.RecordAsync(new AuditEvent(AuditChainKey.Patient(record.PatientNumber), AuditActor.System("emergency-access"),
            "consent.emergency.notice", new AuditResource(ConsentAudit.RequestResource, record.Id), record.Detail.Purpose.Code, record.Id,
            $"emergency access requested by facility {record.Detail.Hiu.Id}"), ct);
        logger.LogWarning("Emergency (BTG) consent {ConsentRequestId} for facility {Hiu}: patient notified", record.Id, record.Detail.Hiu.Id);
    }

    /// <summary>A UUID from the consent, event sequence and target: stable across retries, different for every notification.</summary>
    public static string NotificationId(string consentRequestId, int seq, string target) =>
        DerivedIds.From($"consent-notify\n{consentRequestId}\n{seq.ToString(CultureInfo.InvariantCulture)}\n{target}");

    private sealed record Notice(string NotificationId, string PartnerId, string Target);

    private async Task<IReadOnlyList<Notice>> NoticesAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct)
    {
        // The platform's own HIU (the patient's PHR pulls) has no bridge to tell: the patient decided it themselves.
        var notices = record.HiuPartnerId == PlatformHiu.PartnerId ? new List<Notice>()
            : new List<Notice> { new(NotificationId(record.Id, transition.Seq, "hiu:" + record.HiuPartnerId), record.HiuPartnerId, "hiu") };
        if (transition.Status is not (ConsentStatus.Granted or ConsentStatus.Revoked or ConsentStatus.Expired) || record.Artefacts.Count == 0)
            return notices;
        var serving = new Dictionary<string, IReadOnlyList<PartnerEndpoint>>(StringComparer.Ordinal);
        foreach (var hip in record.Artefacts.Select(a => a.HipId).Distinct(StringComparer.Ordinal))
            serving[hip] = await facilityPartners.ServingAsync(hip, Roles.Hip, ct);
        foreach (var artefact in record.Artefacts)
        foreach (var partner in serving[artefact.HipId])
            notices.Add(new Notice(NotificationId(record.Id, transition.Seq, "hip:" + partner.PartnerId + ":" + artefact.Id), partner.PartnerId, "hip:" + artefact.Id));
        return notices;
    }

    /// <summary>
    /// The first send is keyed by the notification id (also its requestId), held until <paramref name="after"/> (the
    /// partner's previous notice about the same thing) is settled; a resend is the same body and requestId as a new
    /// delivery keyed by <paramref name="resendKey"/>.
    /// </summary>
    private Task SendAsync(ConsentRecord record, ConsentEvent transition, Notice notice, string? resendKey, string? after, CancellationToken ct)
    {
        var status = ConsentStatuses.Name(transition.Status);
        AbdmParty to;
        string path;
        object message;
        if (notice.Target == "hiu")
        {
            (to, path) = (AbdmParty.Hiu(notice.PartnerId, record.Detail.Hiu.Id), HiuNotifyPath);
            message = new
            {
                notification = new
                {
                    consentRequestId = record.Id,
                    status,
                    consentArtefacts = transition.Status == ConsentStatus.Denied ? [] : record.Artefacts.Select(a => new { id = a.Id }).ToArray(),
                    signature = transition.Signature,
                },
            };
        }
        else
        {
            var artefact = record.Artefact(notice.Target["hip:".Length..])!;
            (to, path) = (AbdmParty.Hip(notice.PartnerId, artefact.HipId), HipNotifyPath);
            message = new
            {
                notification = new
                {
                    status,
                    consentId = artefact.Id,
                    consentDetail = artefact.Detail,
                    signature = artefact.Signature,
                    grantAcknowledgement = false,
                    statusSignature = transition.Signature,
                },
            };
        }

        var body = JsonSerializer.SerializeToNode(message, message.GetType(), NdhmJson.Options)!.AsObject();
        body.Insert(0, "requestId", notice.NotificationId);
        body.Insert(1, "timestamp", Timestamp());
        var headers = new Dictionary<string, string>(abdm.HeadersFor(to)) { [AbdmCallbacks.RequestIdHeader] = notice.NotificationId };
        return callbacks.EnqueueAfterAsync(notice.PartnerId, path, body.ToJsonString(NdhmJson.Options), resendKey ?? notice.NotificationId, headers, after, ct);
    }

    private string Timestamp() => AbdmCallbacks.Timestamp(time.GetUtcNow());
}
