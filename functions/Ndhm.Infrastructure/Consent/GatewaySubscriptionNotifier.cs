using Ndhm.Core.Ids;
using Microsoft.Azure.Cosmos;
using Ndhm.Consent;
using Ndhm.Consent.Subscriptions;
using Ndhm.Gateway.Abdm;
using Ndhm.Infrastructure.Cosmos;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Ndhm.Core.Json;
using Ndhm.Gateway.Callbacks;
using Ndhm.Privacy;
using Ndhm.Core.Concurrency;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Subscription notifications as ABDM sends them, through the gateway's callback machinery (recorded deliveries,
/// retries with backoff, dead letters, the partner's <c>/api/v1/deliveries</c>), with <c>X-HIU-ID</c>:
/// <c>/v0.5/subscription-requests/hiu/notify</c> (ABDM <c>SubscriptionApprovalNotification</c>) for a grant or a
/// denial, and <c>/v0.5/subscriptions/hiu/notify</c> (<c>HIUSubscriptionNotification</c>) for each event. Each body's
/// <c>requestId</c> derives from what it tells, so telling it again is the same delivery; the HIU's on-notify answers
/// it in <c>resp.requestId</c>, which marks its <see cref="SubscriptionNoticeDocument"/> acknowledged. One not
/// acknowledged within <see cref="ConsentOptions.AckTimeoutSeconds"/> is sent again (a new delivery, the same body and
/// requestId, <c>answersRequestId</c> <c>&lt;requestId&gt;/resend-&lt;n&gt;</c>) up to <see cref="ConsentOptions.MaxResends"/>
/// times, while <see cref="SubscriptionRecord.StillTells"/> says what it told is current.
/// </summary>
public sealed class GatewaySubscriptionNotifier(AbdmCallbacks abdm, ICallbackDispatcher callbacks, ISubscriptionStore store, FieldCipher cipher,
    CosmosClient client, CosmosSettings settings, ConsentOptions options, TimeProvider time, ILogger<GatewaySubscriptionNotifier> logger) : ISubscriptionNotifier
{
    public const string RequestNotifyPath = "/v0.5/subscription-requests/hiu/notify";
    public const string EventNotifyPath = "/v0.5/subscriptions/hiu/notify";
    public const string RequestKind = "request";
    public const string EventKind = "event";

    private Container Container => client.GetContainer(settings.Database, CosmosContainers.Consents.Name);

    public async Task TellDecisionAsync(SubscriptionRecord record, SubscriptionEvent decision, CancellationToken ct)
    {
        if (decision.Status is not (ConsentStatus.Granted or ConsentStatus.Denied)) return;
        var notificationId = NotificationId("decision", record.Id, decision.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        object notification = decision.Status == ConsentStatus.Denied
            ? new { subscriptionRequestId = record.Id, status = "DENIED" }
            : new
            {
                subscriptionRequestId = record.Id,
                status = "GRANTED",
                subscription = new
                {
                    id = record.SubscriptionId,
                    patient = record.Detail.Patient,
                    hiu = record.Detail.Hiu,
                    sources = record.Sources.Select(s => new
                    {
                        hip = s.Hip,
                        categories = s.Categories,
                        period = new { from = AbdmCallbacks.Timestamp(s.Period.From), to = AbdmCallbacks.Timestamp(s.Period.To) },
                    }).ToList(),
                },
            };
        object message = new { notification };
        await RecordAsync(notificationId, record, RequestKind, message, ct);
        await abdm.NotifyAsync(AbdmParty.Hiu(record.HiuPartnerId, record.Detail.Hiu.Id), RequestNotifyPath, notificationId, message, ct);
    }

    public async Task TellEventAsync(SubscriptionRecord record, string eventId, string category, string hipId, IReadOnlyList<LinkedCareContextEvent> contexts,
        DateTimeOffset at, CancellationToken ct)
    {
        var notificationId = NotificationId("event", eventId, record.HiuPartnerId);
        var message = new
        {
            @event = new
            {
                id = eventId,
                published = AbdmCallbacks.Timestamp(at),
                subscriptionId = record.SubscriptionId,
                category,
                content = new
                {
                    patient = record.Detail.Patient,
                    hip = new IdReference(hipId),
                    context = contexts.Select(c => new
                    {
                        careContext = new { patientReference = c.PatientReference, careContextReference = c.CareContextReference },
                        hiTypes = c.HiTypes,
                    }).ToList(),
                },
            },
        };
        await RecordAsync(notificationId, record, EventKind, message, ct);
        await abdm.NotifyAsync(AbdmParty.Hiu(record.HiuPartnerId, record.Detail.Hiu.Id), EventNotifyPath, notificationId, message, ct);
    }

    public async Task<bool> AcknowledgeAsync(string partnerId, string kind, string notificationRequestId, CancellationToken ct)
    {
        if (!Guid.TryParse(notificationRequestId, out var parsed)) return false;
        return await NoticeAcknowledgements.AcknowledgeAsync<SubscriptionNoticeDocument>(Container, SubscriptionNoticeDocument.IdOf(parsed.ToString()),
            n => n.PartnerId == partnerId && n.Kind == kind, n => n.Acknowledged,
            n => n with { Acknowledged = true, AcknowledgedAt = time.GetUtcNow().ToUnixTimeSeconds() }, ct);
    }

    public async Task<int> ResendUnacknowledgedAsync(CancellationToken ct)
    {
        var due = time.GetUtcNow().AddSeconds(-options.AckTimeoutSeconds).ToUnixTimeSeconds();
        var query = new QueryDefinition("SELECT TOP @take * FROM c WHERE c.docType = @type AND c.acknowledged = false AND IS_STRING(c.message) " +
                                        "AND c.resends < @max AND c.lastSentAt <= @due")
            .WithParameter("@take", options.SweepBatch).WithParameter("@type", SubscriptionNoticeDocument.Type)
            .WithParameter("@max", options.MaxResends).WithParameter("@due", due);
        var resent = 0;
        foreach (var notice in await CosmosDocuments.QueryAsync<SubscriptionNoticeDocument>(Container, query, options.SweepBatch, partitionKey: null, ct))
        {
            var updated = notice with { Resends = notice.Resends + 1, LastSentAt = time.GetUtcNow().ToUnixTimeSeconds() };
            if (!await NoticeAcknowledgements.TryClaimResendAsync(Container, notice, updated, notice.Id, notice.Pk, n => n.Acknowledged, n => n.Resends, ct))
                continue;
            // Claimed before looking: a notice that is not to be sent again (ended, erased) uses up its resends and drops out of the query.
            Versioned<SubscriptionRecord>? found;
            JsonObject message;
            try
            {
                found = await store.FindAsync(notice.SubscriptionRequestId, ct);
                if (found is null || !found.Value.StillTells(notice.Kind == EventKind)) continue;
                message = JsonNode.Parse(await cipher.DecryptAsync(DataKeyScope.Patient(notice.Subject!), notice.Id, SubscriptionNoticeDocument.MessageField,
                    notice.Message!, ct))!.AsObject();
            }
            catch (Ndhm.Core.Errors.DomainException e) when (e.Code == PrivacyErrors.SubjectErased)
            {
                continue;
            }

            message.Insert(0, "requestId", notice.NotificationId);
            message.Insert(1, "timestamp", AbdmCallbacks.Timestamp(time.GetUtcNow()));
            var to = AbdmParty.Hiu(notice.PartnerId, found.Value.Detail.Hiu.Id);
            var headers = new Dictionary<string, string>(abdm.HeadersFor(to)) { [AbdmCallbacks.RequestIdHeader] = notice.NotificationId };
            await callbacks.EnqueueAsync(notice.PartnerId, notice.Kind == EventKind ? EventNotifyPath : RequestNotifyPath, message.ToJsonString(NdhmJson.Options),
                NoticeAcknowledgements.ResendKey(notice.NotificationId, updated.Resends), headers, ct);
            logger.LogWarning("Subscription notification {NotificationId} to {Partner} unacknowledged; sent again ({Resends})", notice.NotificationId,
                notice.PartnerId, updated.Resends);
            resent++;
        }

        return resent;
    }

    private async Task RecordAsync(string notificationId, SubscriptionRecord record, string kind, object message, CancellationToken ct)
    {
        var id = SubscriptionNoticeDocument.IdOf(notificationId);
        var sealedMessage = await cipher.EncryptAsync(DataKeyScope.Patient(record.PatientNumber), id, SubscriptionNoticeDocument.MessageField,
            JsonSerializer.Serialize(message, message.GetType(), NdhmJson.Options), ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await CosmosDocuments.TryCreateAsync(Container, new SubscriptionNoticeDocument(id, id, SubscriptionNoticeDocument.Type, notificationId,
            record.HiuPartnerId, kind, record.Id, false, now, null, record.PatientNumber, sealedMessage, 0, now), id, ct);
    }

    /// <summary>A UUID from what is told: stable across retries, different for every notification.</summary>
    public static string NotificationId(string kind, string about, string detail) => DerivedIds.From($"subscription-notify\n{kind}\n{about}\n{detail}");
}
