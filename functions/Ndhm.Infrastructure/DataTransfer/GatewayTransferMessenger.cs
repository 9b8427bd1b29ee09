using System.Text.Json;
using Ndhm.Core.Abdm;
using Ndhm.Core.Partners;
using Ndhm.Core.Security;
using Ndhm.DataTransfer;
using Ndhm.Consent;
using Ndhm.Gateway.Abdm;
using Ndhm.Gateway.Callbacks;
using Ndhm.Infrastructure.Consent;
using Ndhm.Gateway.Partners;

namespace Ndhm.Infrastructure.DataTransfer;

/// <summary>
/// A transfer's ABDM messages through the gateway's callback machinery (recorded, retried, one delivery per requestId):
/// <c>/v0.5/health-information/hip/request</c> (<c>HIPHIRequest</c>: transactionId, hiRequest {consent, dateRange,
/// dataPushUrl, keyMaterial}) to the HIP's partner with <c>X-HIP-ID</c>, and the outcome to the HIU's bridge at
/// <c>/v0.5/health-information/notify</c> in ABDM's <c>HealthInformationNotification</c> shape (notifier = the HIP), so
/// the HIU learns each care context's DELIVERED / ERRORED; <c>transactionStatus</c> is an added field with the
/// transaction's overall outcome, and <c>pushToken</c> (hip/request) the HIP's signed proof for its pushes (<see cref="PushTokens"/>).
/// </summary>
public sealed class GatewayTransferMessenger(AbdmCallbacks abdm, PushTokenSigner pushTokens) : ITransferMessenger
{
    public const string HipRequestPath = "/v0.5/health-information/hip/request";
    public const string HiuNotifyPath = "/v0.5/health-information/notify";

    public async Task SendHipRequestAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(hip);
        using var keyMaterial = JsonDocument.Parse(transaction.KeyMaterialJson);
        var pushToken = await pushTokens.SignAsync(transaction, hip, ct);
        // Held until the HIU has been told the transaction id (or that reply was given up), so a HIP that pushes at once
        // never reaches a HIU that would refuse the push as belonging to no transaction it knows.
        var afterOnRequest = transaction.HiuPartnerId == PlatformHiu.PartnerId
            ? AfterGrantNotice(transaction, hip)
            : AbdmCallbacks.ReplyKey(transaction.HiuPartnerId, transaction.RequestId, ITransferMessenger.HiuOnRequestPath);
        await abdm.NotifyAfterAsync(AbdmParty.Hip(hip.PartnerId, hip.HipId), HipRequestPath, requestId, new
        {
            transactionId = transaction.Id,
            hiRequest = new
            {
                consent = new { id = hip.ConsentArtefactId },
                dateRange = new { from = AbdmTimestamp.Of(transaction.DateRange.From), to = AbdmTimestamp.Of(transaction.DateRange.To) },
                dataPushUrl = transaction.DataPushUrl,
                keyMaterial = keyMaterial.RootElement.Clone(),
            },
            pushToken,
        }, afterOnRequest, ct);
    }

    /// <summary>
    /// The platform's own HIU (the patient's pull) gets no on-request, and its consent is granted the moment before the
    /// transfer opens: the HIP is asked only once it was told of the grant (consents/hip/notify of the artefact, event 2:
    /// REQUESTED then GRANTED), as a HIP refuses a request for an artefact it does not know.
    /// </summary>
    private static DeliveryKey AfterGrantNotice(HiTransaction transaction, HipTransfer hip)
    {
        var notice = GatewayConsentNotifier.NotificationId(transaction.ConsentRequestId, 2, "hip:" + hip.PartnerId + ":" + hip.ConsentArtefactId);
        return new DeliveryKey(hip.PartnerId, CallbackDispatcher.DeliveryIdFor(hip.PartnerId, notice, GatewayConsentNotifier.HipNotifyPath));
    }

    public Task TellHiuAsync(HiTransaction transaction, HipTransfer hip, string requestId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(hip);
        var contexts = transaction.CareContexts.Where(c => c.HipId == hip.HipId).ToList();
        return abdm.NotifyAsync(AbdmParty.Hiu(transaction.HiuPartnerId, transaction.HiuId), HiuNotifyPath, requestId, new
        {
            notification = new
            {
                consentId = hip.ConsentArtefactId,
                transactionId = transaction.Id,
                doneAt = AbdmTimestamp.Of(transaction.ClosedAt ?? transaction.CreatedAt),
                notifier = new { type = "HIP", id = hip.HipId },
                statusNotification = new
                {
                    sessionStatus = contexts.Count > 0 && contexts.All(c => c.Status == CareContextStatus.Delivered) ? "TRANSFERRED" : "FAILED",
                    hipId = hip.HipId,
                    statusResponses = contexts.Select(c => new
                    {
                        careContextReference = c.CareContextReference,
                        hiStatus = TransferStatuses.Name(c.Status),
                        description = c.ErrorCode is null ? c.Description : $"{c.ErrorCode}: {c.Description}",
                    }).ToList(),
                },
                transactionStatus = TransferStatuses.Name(transaction.Status),
            },
        }, ct);
    }
}

/// <summary>Which partner speaks for a HIP facility, from the gateway's partners (active HIP partners serving it).</summary>
public sealed class GatewayTransferPartners(IPartnerDirectory directory, IFacilityPartners facilityPartners) : ITransferPartners
{
    public async Task<bool> ServesAsync(string partnerId, string hipId, CancellationToken ct) =>
        await directory.FindAsync(partnerId, ct) is { Active: true } partner && partner.Roles.Contains(Roles.Hip)
        && partner.Facilities?.Contains(hipId) == true;

    public async Task<string?> PartnerForHipAsync(string hipId, CancellationToken ct) =>
        (await facilityPartners.ServingAsync(hipId, Roles.Hip, ct)).Select(p => p.PartnerId).FirstOrDefault();
}
