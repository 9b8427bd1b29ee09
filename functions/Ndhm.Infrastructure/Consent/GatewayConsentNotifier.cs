using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Ndhm.Audit;
using Ndhm.Consent;
using Ndhm.Core.Json;
using Ndhm.Core.Security;
using Ndhm.Gateway.Callbacks;
using Ndhm.Gateway.Partners;

namespace Ndhm.Infrastructure.Consent;

/// <summary>
/// Consent notifications as ABDM sends them, through the gateway's callback machinery (recorded deliveries, retries,
/// dead letters, visible in the partner's <c>/api/v1/deliveries</c>): <c>/v0.5/consents/hiu/notify</c> to the HIU
/// partner and <c>/v0.5/consents/hip/notify</c> to every active HIP partner serving an artefact's HIP. The body's
/// <c>requestId</c> derives from the consent, the event and the target, so the same event sent twice is one delivery,
/// and the partner's <c>on-notify</c> answers it by that id.
/// </summary>
public sealed class GatewayConsentNotifier(ICallbackDispatcher callbacks, IPartnerStore partners, IAuditTrail audit, TimeProvider time,
    ILogger<GatewayConsentNotifier> logger) : IConsentNotifier
{
    public const string HiuNotifyPath = "/v0.5/consents/hiu/notify";
    public const string HipNotifyPath = "/v0.5/consents/hip/notify";

    public async Task NotifyAsync(ConsentRecord record, ConsentEvent transition, CancellationToken ct)
    {
        var status = ConsentStatuses.Name(transition.Status);
        var hiuRequestId = NotificationId(record.Id, transition.Seq, "hiu:" + record.HiuPartnerId);
        var hiuBody = new
        {
            requestId = hiuRequestId,
            timestamp = Timestamp(),
            notification = new
            {
                consentRequestId = record.Id,
                status,
                consentArtefacts = transition.Status == ConsentStatus.Denied ? [] : record.Artefacts.Select(a => new { id = a.Id }).ToArray(),
                signature = transition.Signature,
            },
        };
        await callbacks.EnqueueAsync(record.HiuPartnerId, HiuNotifyPath, JsonSerializer.Serialize(hiuBody, NdhmJson.Options), hiuRequestId,
            new Dictionary<string, string> { ["X-HIU-ID"] = record.Detail.Hiu.Id }, ct);

        if (transition.Status is not (ConsentStatus.Granted or ConsentStatus.Revoked or ConsentStatus.Expired) || record.Artefacts.Count == 0) return;
        var hipPartners = await HipPartnersAsync(record.Artefacts.Select(a => a.HipId).ToHashSet(), ct);
        foreach (var artefact in record.Artefacts)
        {
            foreach (var partner in hipPartners.Where(p => p.Facilities.Contains(artefact.HipId)))
            {
                var requestId = NotificationId(record.Id, transition.Seq, "hip:" + partner.ClientId + ":" + artefact.Id);
                var body = new
                {
                    requestId,
                    timestamp = Timestamp(),
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
                await callbacks.EnqueueAsync(partner.ClientId, HipNotifyPath, JsonSerializer.Serialize(body, NdhmJson.Options), requestId,
                    new Dictionary<string, string> { ["X-HIP-ID"] = artefact.HipId }, ct);
            }
        }
    }

    /// <summary>
    /// The patient is told on their audit trail (what <c>GET /api/v1/patients/me/audit</c> shows) and the emergency
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
    public static string NotificationId(string consentRequestId, int seq, string target)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"consent-notify\n{consentRequestId}\n{seq.ToString(CultureInfo.InvariantCulture)}\n{target}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }

    private async Task<IReadOnlyList<Partner>> HipPartnersAsync(IReadOnlySet<string> hips, CancellationToken ct) =>
        (await partners.ListAsync(1000, ct)).Where(p => p.Active && p.Roles.Contains(Roles.Hip) && p.Facilities.Any(hips.Contains)).ToList();

    private string Timestamp() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
